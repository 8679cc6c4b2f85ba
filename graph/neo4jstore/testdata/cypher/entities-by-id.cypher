UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN collect(n {.id, .kind, .name, .aliases, .description, .sourceIds, .createdAt, .updatedAt, .type, .ownership, .founded, .countryId, .segment, .powertrain, .opened, .countryCode, .signedOn, .announcedOn, .provisionsJson}) AS nodes
