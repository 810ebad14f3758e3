// title: 待回应的居民需求 | Unmet resident needs
// description: 状态未满足且没有任何项目回应(ADDRESSES)的居民需求,含所在社区与类别。 | Resident needs not marked met that no project addresses, with their community and category.
// params:
// backends: ladybug, neo4j
MATCH (n:Need)-[:RAISED_IN]->(c:Community)
WHERE n.status <> 'met' AND NOT EXISTS { MATCH (:Project)-[:ADDRESSES]->(n) }
RETURN c.id AS community_id, n.id AS need_id, n.category AS category, n.status AS status
ORDER BY community_id, need_id
