UNWIND $changes AS change
CREATE (:RevisionChange {run: $run, itemId: change.id, before: change.before, touched: change.touched})
