// title: 各社区时段内项目 | Projects per community in a window
// description: 在指定年份范围内实施于各社区的项目,含场景、年度、预算及回应的需求数。 | Projects that run in each community within the year window, with scenario, year, budget and how many needs each addresses.
// params: year_from:int=2000, year_to:int=2100
// backends: ladybug, neo4j
MATCH (p:Project)-[:RUNS_IN]->(c:Community)
WHERE p.year >= $year_from AND p.year <= $year_to
OPTIONAL MATCH (p)-[:ADDRESSES]->(n:Need)
RETURN c.id AS community_id, p.id AS project_id, p.scenario AS scenario, p.year AS year,
       p.budget AS budget, count(DISTINCT n) AS needs_addressed
ORDER BY community_id, project_id
