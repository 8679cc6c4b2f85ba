CREATE INDEX rel_joint_venture_of_id IF NOT EXISTS FOR ()-[r:JOINT_VENTURE_OF]-() ON (r.id)
