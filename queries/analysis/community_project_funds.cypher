// title: 社区项目资金来源 | Project funding per community
// description: 时段内各社区项目的资助方、渠道与金额(政府购买计入社区要素)。 | Funders of each community's projects in the window, by channel and amount (government purchase counts for the community element).
// params: year_from:int=2000, year_to:int=2100
// backends: ladybug, neo4j
MATCH (p:Project)-[:RUNS_IN]->(c:Community)
WHERE p.year >= $year_from AND p.year <= $year_to
MATCH (a)-[f:FUNDS]->(p)
RETURN c.id AS community_id, p.id AS project_id, a.id AS funder_id, a.name AS funder_name,
       head(labels(a)) AS label, f.channel AS channel, sum(f.amount) AS amount
ORDER BY community_id, project_id, funder_id, channel
