// title: 各社区志愿者 | Volunteers per community
// description: 居住在各社区的志愿者数,及其中近12个月服务时长为0或未填者(闲置志愿者)。只列有志愿者的社区;关系表不允许重复行,故按关系计数即按人计数。 | Volunteers living in each community, and how many of them logged no service hours in 12 months (idle). Only communities with volunteers; relationship tables admit no duplicate rows, so counting relationships counts people.
// params:
// backends: ladybug, neo4j
MATCH (v:Volunteer)-[:LIVES_IN]->(c:Community)
RETURN c.id AS community_id, count(*) AS volunteers,
       sum(CASE WHEN v.hours_12m IS NULL OR v.hours_12m = 0 THEN 1 ELSE 0 END) AS inactive_volunteers
ORDER BY community_id
