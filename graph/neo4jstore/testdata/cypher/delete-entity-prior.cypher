MATCH (n:Entity {id: $id})
CALL (n) {
  MATCH (n)-[r]-()
  WITH DISTINCT r
  RETURN collect({rel: r, fromId: startNode(r).id, toId: endNode(r).id}) AS relations
}
RETURN n, relations
