// title: 社会组织参与项目数 | Projects per organization
// description: 各社会组织发起、牵头、承接或资助的项目数,全部及时段内(只列有项目的组织)。 | Projects each organization initiated, led, delivered or funded, in total and in the window (organizations with at least one).
// params: year_from:int=2000, year_to:int=2100
// backends: ladybug, neo4j
MATCH (o:Organization)-[:INITIATED|LEADS|DELIVERS|FUNDS]->(p:Project)
RETURN o.id AS org_id, count(DISTINCT p) AS projects_total,
       count(DISTINCT CASE WHEN p.year >= $year_from AND p.year <= $year_to THEN p.id END)
         AS projects_window
ORDER BY org_id
