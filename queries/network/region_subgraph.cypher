// title: 区域子图 | Region subgraph
// description: 某区域(市、县、乡镇或社区)内的全部社区,以及与这些社区直接相连的节点(上级区划、项目、社会组织、社工、志愿者、需求、慈善资源)和其间关系;供 Gephi 导出(wushe export --region)。 | Every community of a region (city, county, township or community) with the nodes directly linked to them (the region above, projects, organizations, social workers, volunteers, needs, charity resources) and those relationships; for the Gephi export (wushe export --region).
// params: region_id:str, limit:int=1000000
// backends: ladybug, neo4j
MATCH (c:Community)-[:PART_OF*0..3]->(r)
WHERE r.id = $region_id
MATCH (c)-[rel]-(x)
RETURN c, rel, x
LIMIT $limit
