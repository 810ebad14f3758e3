// title: 各社区驻在社会组织统计 | Organizations based in each community
// description: 每个社区驻在(BASED_IN)的社会组织数、社区社会组织数、志愿服务类社区社会组织数、高活跃社区社会组织数、活跃志愿服务类组织数与持证社工数(4A级及以上组织按登记管理机关层级另行统计)。 | Per community: organizations based there, community social organizations, volunteer-service ones, highly active ones, active volunteer-service organizations and their certified social workers (4A+ organizations are counted by registration level in rated_organizations).
// params: min_activities:int=12, min_active_months:int=6, active_months:int=3
// backends: ladybug, neo4j
MATCH (o:Organization)-[:BASED_IN]->(c:Community)
OPTIONAL MATCH (w:SocialWorker)-[:WORKS_AT]->(o)
WITH c, o, sum(CASE WHEN w.certificate IS NOT NULL AND w.certificate <> 'none' THEN 1 ELSE 0 END) AS certified
RETURN c.id AS community_id,
       count(o) AS orgs_based,
       sum(CASE WHEN o.is_community_org THEN 1 ELSE 0 END) AS community_orgs,
       sum(CASE WHEN o.is_community_org AND o.is_volunteer_service THEN 1 ELSE 0 END) AS volunteer_service_orgs,
       sum(CASE WHEN o.is_community_org AND o.activities_12m >= $min_activities
                     AND o.active_months_12m >= $min_active_months THEN 1 ELSE 0 END) AS highly_active_orgs,
       sum(CASE WHEN o.is_volunteer_service AND o.active_months_12m >= $active_months
                THEN 1 ELSE 0 END) AS active_volunteer_orgs,
       sum(certified) AS org_certified_workers
ORDER BY community_id
