// title: 社区项目参与主体(共同参与投影) | Project participants per community (co-participation projection)
// description: 时段内各社区项目的发起、牵头、承接、参与服务主体:一行一个(项目,主体,角色);关系表不允许重复行,行序不定。联动密度、联动模式和中介分析在此投影上计算。 | Who initiated, led, delivered or served in each community's projects in the window: one row per (project, actor, role); relationship tables admit no duplicate rows; rows unordered. Density, modes and broker analysis are computed on this projection.
// params: year_from:int=2000, year_to:int=2100
// backends: ladybug, neo4j
MATCH (p:Project)-[:RUNS_IN]->(c:Community)
WHERE p.year >= $year_from AND p.year <= $year_to
MATCH (a)-[r:INITIATED|LEADS|DELIVERS|SERVES_IN]->(p)
RETURN c.id AS community_id, p.id AS project_id, a.id AS actor_id, a.name AS actor_name,
       head(labels(a)) AS label, type(r) AS role
