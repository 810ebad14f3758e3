// title: 孤立节点数 | Orphan nodes per label
// description: 没有任何关系的节点数量,按标签统计(多为漏填关联的导入数据;label 在 Ladybug 上是字符串、在 Neo4j 上是列表,由调用方统一)。 | Nodes without any relationship, per label (usually an import that forgot the links; label is a string on Ladybug and a list on Neo4j: callers normalise it).
// params:
// backends: ladybug, neo4j
MATCH (n)
WHERE NOT EXISTS { MATCH (n)--() }
RETURN head(labels(n)) AS label, count(*) AS orphans
ORDER BY label
