// title: 社会组织邻域 | Organization neighbourhood
// description: 某社会组织一跳或两跳(hops 取 1 或 2)范围内的节点与关系;第二跳不沿「隶属」关系上溯行政区划。返回节点与关系,供网络图使用。 | Everything within one or two hops (hops 1 or 2) of an organization; the second hop does not climb the region hierarchy (PART_OF). Returns nodes and relationships for the network map.
// params: organization_id:str, hops:int=1, limit:int=5000
// backends: ladybug, neo4j
MATCH (o:Organization {id: $organization_id})-[r1]-(b)
OPTIONAL MATCH (b)-[r2]-(x)
WHERE $hops >= 2 AND x.id <> o.id AND type(r2) <> 'PART_OF'
RETURN o, r1, b, r2, x
LIMIT $limit
