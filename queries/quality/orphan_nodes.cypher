// title: 孤立节点清单 | Orphan nodes
// description: 没有任何关系的节点(编号、标签、名称)。 | Nodes without any relationship (id, label, name).
// params: limit:int=200
// backends: ladybug, neo4j
MATCH (n)
WHERE NOT EXISTS { MATCH (n)--() }
RETURN head(labels(n)) AS label, n.id AS id, n.name AS name
ORDER BY label, id
LIMIT $limit
