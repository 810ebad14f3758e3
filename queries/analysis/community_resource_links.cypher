// title: 社区已联系的资源 | Resources already linked to each community
// description: 驻在或服务某社区的社会组织与慈善资源;对接推荐不再推荐它们。 | Organizations and charity resources based in or serving each community; matches do not propose them again.
// params:
// backends: ladybug, neo4j
MATCH (a)-[:BASED_IN|SERVES]->(c:Community)
RETURN c.id AS community_id, a.id AS resource_id
ORDER BY community_id, resource_id
