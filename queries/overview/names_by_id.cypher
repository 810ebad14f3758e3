// title: 按编号查名称 | Names by id
// description: 一组编号对应的节点名称与类型(页面用名称而不是编号称呼主体)。 | The name and label of the nodes with the given ids (pages call actors by name, not id).
// params: ids:list
// backends: ladybug, neo4j
MATCH (n)
WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name, head(labels(n)) AS label
ORDER BY id
