OPTIONAL MATCH (k:RevisionCounter {key: $key})
OPTIONAL MATCH (h:Revision {number: k.last})
RETURN k.last AS last, h.at AS lastAt, k.floor AS floor, k.floorAt AS floorAt,
       k.imports AS imports, EXISTS { MATCH (:ImportRun) } AS importing
