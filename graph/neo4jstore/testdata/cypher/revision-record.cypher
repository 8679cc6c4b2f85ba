CREATE (h:Revision {number: $number, at: $at, operation: $operation,
                    actorName: $actorName, actorRole: $actorRole, actorVia: $actorVia,
                    touched: $touched, run: $run})
WITH h
UNWIND $changes AS change
CREATE (:RevisionChange {number: h.number, itemId: change.id, before: change.before})
