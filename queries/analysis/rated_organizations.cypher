// title: 4A级及以上社会组织及其登记管理机关层级 | 4A+ organizations and their registration level
// description: 评估等级为4A或5A且在基准日仍有效的社会组织,及其登记管理机关层级与驻在的社区、乡镇(用于按登记层级统计4A级及以上组织数)。 | Organizations rated 4A or 5A whose rating is still valid on the as-of date, with the level of their registering authority and the community and township they are based in (to count 4A+ organizations by registration level).
// params: as_of:date=2025-12-31
// backends: ladybug, neo4j
MATCH (o:Organization)
WHERE o.rating IN ['4A', '5A'] AND (o.rating_expiry IS NULL OR o.rating_expiry >= $as_of)
OPTIONAL MATCH (o)-[:BASED_IN]->(h)
OPTIONAL MATCH (h)-[:PART_OF]->(ht:Township)
RETURN o.id AS org_id, o.registration_level AS registration_level,
       CASE WHEN ht IS NULL THEN NULL ELSE h.id END AS community_id,
       CASE WHEN ht IS NULL THEN h.id ELSE ht.id END AS township_id
ORDER BY org_id, township_id
