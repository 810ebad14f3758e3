// title: 各乡镇(街道)社工站、服务中心与驻在组织统计 | Stations and township-based resources per township
// description: 每个乡镇(街道)的社会工作站数、社会组织服务中心数及已评估数、站点持证社工数,以及驻在乡镇的4A级及以上社会组织、持证社工与社区发展基金会数。 | Per township: social-work stations, social-org service centres and how many are rating-evaluated, workers and certified staff of stations, all charity resources, and 4A+ organizations, their certified workers and community foundations based at township level.
// params: as_of:date=2025-12-31
// backends: ladybug, neo4j
MATCH (t:Township)
OPTIONAL MATCH (t)-[:PART_OF]->(co:County)
OPTIONAL MATCH (co)-[:PART_OF]->(ci:City)
WITH t, co.id AS county_id, ci.id AS city_id
OPTIONAL MATCH (s:Station)-[:LOCATED_IN]->(t)
OPTIONAL MATCH (sw:SocialWorker)-[:WORKS_AT]->(s)
WITH t, county_id, city_id, s, count(DISTINCT sw) AS worker_nodes,
     count(DISTINCT CASE WHEN sw.certificate <> 'none' THEN sw.id END) AS certified_nodes
WITH t, county_id, city_id,
     count(DISTINCT CASE WHEN s.kind = 'social_work_station' THEN s.id END) AS work_stations,
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' THEN s.id END) AS service_centers,
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' AND s.evaluated THEN s.id END) AS evaluated_centers,
     sum(worker_nodes) AS station_workers,
     sum(CASE WHEN s IS NULL THEN 0
              WHEN coalesce(s.certified_staff, 0) > certified_nodes THEN coalesce(s.certified_staff, 0)
              ELSE certified_nodes END) AS station_certified
OPTIONAL MATCH (o:Organization)-[:BASED_IN]->(t)
OPTIONAL MATCH (ow:SocialWorker)-[:WORKS_AT]->(o)
WITH t, county_id, city_id, work_stations, service_centers, evaluated_centers, station_workers,
     station_certified,
     count(DISTINCT CASE WHEN o.rating IN ['4A', '5A']
                          AND (o.rating_expiry IS NULL OR o.rating_expiry >= $as_of) THEN o.id END) AS orgs_4a,
     count(DISTINCT CASE WHEN ow.certificate <> 'none' THEN ow.id END) AS org_certified_workers
OPTIONAL MATCH (f:Foundation)-[:BASED_IN]->(t)
RETURN t.id AS township_id, t.name AS township, county_id, city_id, work_stations,
       service_centers, evaluated_centers, station_workers, station_certified, orgs_4a,
       org_certified_workers, count(DISTINCT f) AS foundations,
       count(DISTINCT CASE WHEN f.kind = 'community_foundation' THEN f.id END) AS community_foundations
ORDER BY township_id
