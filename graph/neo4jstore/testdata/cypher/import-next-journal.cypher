MATCH (j:ImportJournal {run: $run, sort: $sort})
RETURN j.batch AS batch, j.ids AS ids, j.types AS types, j.priors AS priors
LIMIT 1
