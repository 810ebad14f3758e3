// title: 行政区划树 | Region tree
// description: 市、县(市、区)、乡镇(街道)、社区四级区划,每个社区一行(无下级的区划也各占一行)。 | The four region levels (city, county, township, community), one row per community (a region without children gets a row of its own).
// params:
// backends: ladybug, neo4j
MATCH (ci:City)
OPTIONAL MATCH (co:County)-[:PART_OF]->(ci)
OPTIONAL MATCH (t:Township)-[:PART_OF]->(co)
OPTIONAL MATCH (c:Community)-[:PART_OF]->(t)
RETURN ci.id AS city_id, ci.name AS city, co.id AS county_id, co.name AS county,
       t.id AS township_id, t.name AS township, c.id AS community_id, c.name AS community,
       c.kind AS kind
ORDER BY city_id, county_id, township_id, community_id
