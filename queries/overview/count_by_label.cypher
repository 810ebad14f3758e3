// title: 各类节点数量 | Nodes per label
// description: 图中每类节点(社区、社会组织、社工、志愿者、慈善资源……)的数量。 | How many nodes of each label the graph holds.
// params:
// backends: ladybug, neo4j
MATCH (n)
RETURN head(labels(n)) AS label, count(*) AS n
ORDER BY label
