// title: 社区基本情况与所属区域 | Community profile and region
// description: 每个社区的城乡类型、人口、服务综合体星级、专职社区工作者及持证人数,以及所属乡镇、县、市。 | Each community's kind, population, service-complex star, full-time and certified community workers, with its township, county and city.
// params:
// backends: ladybug, neo4j
MATCH (c:Community)
OPTIONAL MATCH (c)-[:PART_OF]->(t:Township)
OPTIONAL MATCH (t)-[:PART_OF]->(co:County)
OPTIONAL MATCH (co)-[:PART_OF]->(ci:City)
RETURN c.id AS community_id, c.name AS community, c.kind AS kind, c.population AS population,
       c.complex_star AS complex_star, c.fulltime_workers AS fulltime_workers,
       c.certified_workers AS certified_workers, t.id AS township_id, t.name AS township,
       co.id AS county_id, co.name AS county, ci.id AS city_id, ci.name AS city
ORDER BY community_id
