CREATE (:ImportJournal {run: $run, batch: $batch, sort: $sort, ids: $ids, types: $types, priors: $priors})
