// title: 各属性填写数 | Filled properties per label
// description: 每类节点的总数及每个属性非空的节点数(缺失比例 = 1 − 填写数/总数;只看该标签定义的属性)。 | For each label, the node count and how many nodes have each property filled (missing share = 1 − filled/total; only the label's own properties count).
// params:
// backends: ladybug, neo4j
MATCH (n)
WITH head(labels(n)) AS label, n
RETURN label, count(*) AS total,
       count(n.name) AS name, count(n.code) AS code, count(n.kind) AS kind,
       count(n.population) AS population, count(n.households) AS households, count(n.complex_star) AS complex_star,
       count(n.fulltime_workers) AS fulltime_workers, count(n.certified_workers) AS certified_workers, count(n.is_big_committee) AS is_big_committee,
       count(n.member_units) AS member_units, count(n.credit_code) AS credit_code, count(n.filing_no) AS filing_no,
       count(n.form) AS form, count(n.category) AS category, count(n.rating) AS rating,
       count(n.rating_expiry) AS rating_expiry, count(n.is_community_org) AS is_community_org, count(n.is_volunteer_service) AS is_volunteer_service,
       count(n.registered_on) AS registered_on, count(n.staff) AS staff, count(n.activities_12m) AS activities_12m,
       count(n.active_months_12m) AS active_months_12m, count(n.phone) AS phone, count(n.id_number) AS id_number,
       count(n.certificate) AS certificate, count(n.role) AS role, count(n.evaluated) AS evaluated,
       count(n.certified_staff) AS certified_staff, count(n.volunteer_no) AS volunteer_no, count(n.hours_12m) AS hours_12m,
       count(n.assets) AS assets, count(n.scenario) AS scenario, count(n.year) AS year,
       count(n.budget) AS budget, count(n.start_date) AS start_date, count(n.description) AS description,
       count(n.raised_on) AS raised_on, count(n.status) AS status,
       count(n.registration_level) AS registration_level, count(n.registered) AS registered
ORDER BY label
