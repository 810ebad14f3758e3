// title: 乡镇(街道)联动图投影 | A township's linkage projection
// description: 某乡镇(街道)时段内各社区项目的参与主体(含资助方):一行一个(社区,项目,主体,角色),供构建乡镇联动图。 | Everyone taking a role (funders included) on the projects of one township's communities in the window: one row per (community, project, actor, role), to build the township's linkage graph.
// params: township_id:str, year_from:int=2000, year_to:int=2100
// backends: ladybug, neo4j
MATCH (p:Project)-[:RUNS_IN]->(c:Community)-[:PART_OF]->(t:Township {id: $township_id})
WHERE p.year >= $year_from AND p.year <= $year_to
MATCH (a)-[r:INITIATED|LEADS|DELIVERS|SERVES_IN|FUNDS]->(p)
RETURN DISTINCT c.id AS community_id, p.id AS project_id, a.id AS actor_id,
       head(labels(a)) AS label, type(r) AS role
ORDER BY community_id, project_id, actor_id, role
