// title: 社会组织概况 | Organization profile
// description: 每个驻在社区或乡镇的社会组织:类别、是否志愿服务类、是否社区社会组织、活跃月数及所在社区与乡镇(用于闲置资源识别与精准对接)。 | Every organization based in a community or township: category, volunteer service, community org, active months, and its community and township (for idle resources and matching).
// params:
// backends: ladybug, neo4j
MATCH (o:Organization)-[:BASED_IN]->(h)
OPTIONAL MATCH (h)-[:PART_OF]->(ht:Township)
RETURN o.id AS org_id, o.name AS name, o.category AS category,
       o.is_volunteer_service AS is_volunteer_service, o.is_community_org AS is_community_org,
       o.active_months_12m AS active_months_12m,
       CASE WHEN ht IS NULL THEN NULL ELSE h.id END AS community_id,
       CASE WHEN ht IS NULL THEN h.id ELSE ht.id END AS township_id
ORDER BY org_id
