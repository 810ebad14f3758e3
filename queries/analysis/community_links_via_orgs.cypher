// title: 社区间经共享社会组织的联系 | Community-to-community links through shared organizations
// description: 某县(市、区)内两个社区被同一社会组织驻在或服务时相连,权重为共享组织数。 | Within one county, two communities are linked when the same organization is based in or serves both; the weight is the number of shared organizations.
// params: county_id:str
// backends: ladybug, neo4j
MATCH (c1:Community)-[:PART_OF]->(:Township)-[:PART_OF]->(co:County {id: $county_id})
MATCH (c1)<-[:BASED_IN|SERVES]-(o:Organization)-[:BASED_IN|SERVES]->(c2:Community)
WHERE c1.id < c2.id
RETURN c1.id AS source, c2.id AS target, count(DISTINCT o) AS shared_orgs
ORDER BY source, target
