// title: 社会组织名录 | Organizations
// description: 每个社会组织一行:名称及其注册/驻在的社区或乡镇(街道)编号(页面与模板按名称和所在地选择组织,不必知道编号)。 | One row per organization: its name and the id of the community or township it is based in (pages and the template let users pick an organization by name and place, never by id).
// params:
// backends: ladybug, neo4j
MATCH (o:Organization)
OPTIONAL MATCH (o)-[:BASED_IN]->(p)
RETURN o.id AS id, o.name AS name, p.id AS place_id
ORDER BY id, place_id
