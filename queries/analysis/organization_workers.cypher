// title: 社会组织社工数 | Social workers per organization
// description: 在各社会组织任职的社会工作者数(只列有社工的组织)。 | Social workers working at each organization (organizations with at least one).
// params:
// backends: ladybug, neo4j
MATCH (w:SocialWorker)-[:WORKS_AT]->(o:Organization)
RETURN o.id AS org_id, count(*) AS workers
ORDER BY org_id
