// title: 社会组织服务的社区 | Communities each organization serves
// description: 每个社会组织服务(SERVES)的社区(精准对接不向社区推荐已与其关联的资源)。 | The communities each organization serves (matches never propose a resource already linked to the community).
// params:
// backends: ladybug, neo4j
MATCH (o:Organization)-[:SERVES]->(c:Community)
RETURN o.id AS org_id, c.id AS community_id
ORDER BY org_id, community_id
