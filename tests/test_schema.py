from wushe.graph.schema import ACTOR_LABELS, ELEMENTS, SCHEMA, ladybug_ddl


def test_every_actor_label_belongs_to_one_of_the_five_elements():
    assert {SCHEMA.element_of(label) for label in ACTOR_LABELS} == set(ELEMENTS)


def test_ddl_has_one_table_per_label_and_relationship_type():
    ddl = ladybug_ddl()
    assert len(ddl) == len(SCHEMA.nodes) + len(SCHEMA.rels) == 12 + 16
    funds = next(d for d in ddl if " FUNDS(" in d)
    assert funds.startswith("CREATE REL TABLE IF NOT EXISTS FUNDS(FROM Foundation TO Project")
    assert funds.endswith("amount DOUBLE, channel STRING)")


def test_relationship_pairs_name_only_known_labels_and_every_name_is_bilingual():
    for r in SCHEMA.rels:
        assert r.zh and r.en
    for n in SCHEMA.nodes:
        assert n.zh and n.en
        assert all(p.zh and p.en for p in n.all_props)
    assert SCHEMA.rel("RUNS_IN").pairs == (("Project", "Community"),)


def test_ids_are_the_primary_key_of_every_node_table():
    assert all(n.all_props[0].name == "id" for n in SCHEMA.nodes)
