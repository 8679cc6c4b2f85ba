OPTIONAL MATCH (k:RevisionCounter {key: $key})
WITH coalesce(k.floor, 0) AS floor, k.floorAt AS floorAt
CALL (floor) {
  MATCH (h:Revision)
  WHERE h.at <= $t AND h.number > floor
  WITH h
  ORDER BY h.at DESC, h.number DESC
  LIMIT 1
  RETURN collect(h.number) AS newest
}
RETURN newest, floor, floorAt
