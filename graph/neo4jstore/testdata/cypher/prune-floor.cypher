MATCH (k:RevisionCounter {key: $key})
CALL (k) {
  MATCH (h:Revision)
  WHERE h.at < $before AND h.number < k.last
  WITH h
  ORDER BY h.number DESC
  LIMIT 1
  RETURN collect(h) AS newest
}
WITH k, newest[0] AS h
WITH k, h, h IS NOT NULL AND coalesce(k.floor, 0) < h.number AS raise
SET k.floor = CASE WHEN raise THEN h.number ELSE k.floor END,
    k.floorAt = CASE WHEN raise THEN h.at ELSE k.floorAt END
RETURN coalesce(k.floor, 0) AS floor
