// title: 各乡镇(街道)社工站、服务中心与驻在组织统计 | Stations and township-based resources per township
// description: 每个乡镇(街道)的社会工作站数,社会组织服务中心数、其中已登记数、已登记且已评估数及登记或评估情况未填数,站点持证社工数,以及驻在乡镇的组织的持证社工与社区发展基金会数。 | Per township: social-work stations; social-org service centres, how many are registered, registered and rating-evaluated, and how many leave registration or evaluation blank; workers and certified staff of stations; certified workers of township-based organizations and community foundations based at township level.
// params:
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
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' AND s.registered THEN s.id END) AS registered_centers,
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' AND s.registered AND s.evaluated THEN s.id END) AS evaluated_centers,
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' AND s.registered IS NULL THEN s.id END) AS centers_registration_unknown,
     count(DISTINCT CASE WHEN s.kind = 'org_service_center' AND s.registered AND s.evaluated IS NULL THEN s.id END) AS centers_evaluation_unknown,
     sum(worker_nodes) AS station_workers,
     sum(CASE WHEN s IS NULL THEN 0
              WHEN coalesce(s.certified_staff, 0) > certified_nodes THEN coalesce(s.certified_staff, 0)
              ELSE certified_nodes END) AS station_certified
OPTIONAL MATCH (o:Organization)-[:BASED_IN]->(t)
OPTIONAL MATCH (ow:SocialWorker)-[:WORKS_AT]->(o)
WITH t, county_id, city_id, work_stations, service_centers, registered_centers, evaluated_centers,
     centers_registration_unknown, centers_evaluation_unknown, station_workers, station_certified,
     count(DISTINCT CASE WHEN ow.certificate <> 'none' THEN ow.id END) AS org_certified_workers
OPTIONAL MATCH (f:Foundation)-[:BASED_IN]->(t)
RETURN t.id AS township_id, t.name AS township, county_id, city_id, work_stations,
       service_centers, registered_centers, evaluated_centers, centers_registration_unknown,
       centers_evaluation_unknown, station_workers, station_certified,
       org_certified_workers, count(DISTINCT f) AS foundations,
       count(DISTINCT CASE WHEN f.kind = 'community_foundation' THEN f.id END) AS community_foundations
ORDER BY township_id
