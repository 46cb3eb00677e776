"""The implicit AIGC label's rules: its fields and their order, the signature over them, what parses."""
from __future__ import annotations

import json
import re

import attrs
import pytest

from adapters.media.fake import FakeAigcLabeler
from skyriff_domain.model.aigc import (
    FIELDS,
    NOTICE,
    AigcLabel,
    MalformedLabel,
    check_service_code,
    label_value,
    parse_label,
    produce_id,
    propagate_id,
)
from skyriff_domain.services.aigc import AigcLabels, Verdict

KEY = b"unit-aigc-key"
LABEL = AigcLabel("1", "skyriff", "skyriff-t-7-0011223344556677", "skyriff", "skyriff-p-9-8899aabbccddeeff")


def test_the_json_has_the_seven_fields_in_the_standards_order_compactly():
    text = LABEL.signed(KEY).to_json()
    assert list(json.loads(text)) == list(FIELDS) == [
        "Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID", "ReservedCode2"]
    assert text.startswith('{"Label":"1","ContentProducer":"skyriff","ProduceID":"skyriff-t-7-')
    assert " " not in text and text.endswith(',"ReservedCode2":""}')


def test_reserved_code1_is_the_hex_hmac_sha256_of_the_other_fields_in_order():
    import hashlib
    import hmac

    signed = LABEL.signed(KEY)
    message = json.dumps(["1", "skyriff", LABEL.produce_id, "skyriff", LABEL.propagate_id, ""],
                         separators=(",", ":")).encode()
    assert signed.reserved_code1 == hmac.new(KEY, message, hashlib.sha256).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", signed.reserved_code1)
    assert signed.verifies(KEY) and LABEL.signed(KEY) == signed  # deterministic


@pytest.mark.parametrize("field", ["label", "content_producer", "produce_id", "content_propagator",
                                   "propagate_id", "reserved_code2"])
def test_changing_any_field_breaks_the_signature(field):
    signed = LABEL.signed(KEY)
    tampered = attrs.evolve(signed, **{field: getattr(signed, field) + "x"})
    assert not tampered.verifies(KEY)


def test_a_label_signed_with_another_key_or_a_forged_code_does_not_verify():
    assert not LABEL.signed(b"another key").verifies(KEY)
    assert not attrs.evolve(LABEL.signed(KEY), reserved_code1="0" * 64).verifies(KEY)
    assert not LABEL.verifies(KEY)  # unsigned


def test_fields_cannot_slide_into_each_other():
    """The message is a JSON array, so moving a character from one field to the next changes it."""
    a = AigcLabel("1", "skyriff", "ab", "skyriff").signed(KEY)
    b = attrs.evolve(a, produce_id="a", content_propagator="bskyriff")
    assert not b.verifies(KEY)


def test_propagating_keeps_the_produce_id_and_needs_a_new_signature():
    produced = AigcLabel("1", "skyriff", "skyriff-t-1-aa", "skyriff").signed(KEY)
    published = produced.propagated("skyriff-p-1-bb")
    assert (published.produce_id, published.propagate_id, published.reserved_code1) == (
        "skyriff-t-1-aa", "skyriff-p-1-bb", "")
    assert published.signed(KEY).verifies(KEY)


def test_parse_round_trips():
    signed = LABEL.signed(KEY)
    assert parse_label(signed.to_json()) == signed
    assert parse_label(json.dumps(json.loads(signed.to_json()), indent=2)) == signed  # spacing does not matter


@pytest.mark.parametrize("text", [
    "not json", "[]", '"AIGC"', "{}", '{"Label": "1"}',
    json.dumps({**LABEL.fields(), "Extra": ""}),  # an unsigned field could say anything
    json.dumps({**LABEL.fields(), "Label": 1}),
    json.dumps({**LABEL.fields(), "ProduceID": None}),
    json.dumps({**LABEL.fields(), "ProduceID": "x" * 257}),
    "[" * 100_000,
])
def test_anything_but_the_seven_string_fields_is_malformed(text):
    with pytest.raises(MalformedLabel):
        parse_label(text)


@pytest.mark.parametrize(("text", "value"), [
    ('{"Label":"1","ContentProducer":"doubao"}', "1"),
    ('{"AIGC":{"Label":"2","ContentProducer":"x"}}', "2"),
    ('{"Label":3}', "3"),
    ('{"Label":"9"}', None), ('{"Label":true}', None), ('{"Label":""}', None), ("[1]", None), ("garbage", None),
    ("", None), (None, None),
])
def test_other_producers_labels_are_read_leniently_for_their_label_value(text, value):
    assert label_value(text) == value


@pytest.mark.parametrize("code", ["skyriff", "SKYRIFF_01", "a.b-c", "x" * 64])
def test_service_codes_that_are_accepted(code):
    assert check_service_code(code) == code


@pytest.mark.parametrize("code", ["", "-skyriff", "sky riff", "天空", "a" * 65, "sky\"riff", "sky\nriff"])
def test_service_codes_that_are_refused(code):
    with pytest.raises(ValueError, match="service code"):
        check_service_code(code)


def test_ids_name_their_task_or_video_and_never_repeat():
    produced = {produce_id("skyriff", 42) for _ in range(200)}
    assert len(produced) == 200 and all(re.fullmatch(r"skyriff-t-42-[0-9a-f]{16}", p) for p in produced)
    assert re.fullmatch(r"skyriff-p-7-[0-9a-f]{16}", propagate_id("skyriff", 7))


def test_the_client_notice():
    assert (NOTICE.label, NOTICE.text) == ("1", "AI生成")


# --- the use case over the fake labeler ---------------------------------------------------------------

def labels(code: str = "skyriff") -> AigcLabels:
    return AigcLabels(FakeAigcLabeler(), KEY, code)


def test_a_generated_videos_label_names_the_service_twice_and_no_propagation_yet():
    label = labels("skyriff-test").for_video(12)
    assert (label.label, label.content_producer, label.content_propagator, label.propagate_id) == (
        "1", "skyriff-test", "skyriff-test", "")
    assert label.produce_id.startswith("skyriff-test-t-12-") and label.verifies(KEY)


@pytest.mark.parametrize(("value", "verdict"), [
    (LABEL.signed(KEY).to_json(), Verdict.VERIFIED),
    (attrs.evolve(LABEL.signed(KEY), produce_id="skyriff-t-8-0011223344556677").to_json(), Verdict.TAMPERED),
    (LABEL.signed(b"other").to_json(), Verdict.TAMPERED),
    ('{"Label":"1"}', Verdict.MALFORMED),
])
def test_inspect_tells_verified_from_tampered_and_malformed(value, verdict):
    result = labels().inspect(FakeAigcLabeler().label(b"video", value))
    assert (result.value, result.verdict) == (value, verdict)
    assert (result.label is None) == (verdict is Verdict.MALFORMED)


def test_inspect_of_an_unlabelled_file():
    assert labels().inspect(b"video").verdict is Verdict.ABSENT


def test_an_empty_key_or_a_bad_code_is_a_configuration_error():
    with pytest.raises(ValueError, match="SKYRIFF_AIGC_SECRET"):
        AigcLabels(FakeAigcLabeler(), "")
    with pytest.raises(ValueError, match="service code"):
        AigcLabels(FakeAigcLabeler(), KEY, "bad code")
