"""``hub triage classify|train|evaluate|retrain`` with temporary files."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from residenthub.triage import model as triage_model

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_classify(tmp_path, catalogue):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,text\n1,Huge pothole on Station Road\n2,what's the weather tomorrow\n"
        "3,I can smell gas in my flat\n4,\n5,Nie odebrano moich śmieci od dwóch tygodni\n",
        encoding="utf-8",
    )
    out, _err = run("classify", str(source), "--out", str(tmp_path / "out.csv"))
    assert "Classified 5 messages" in out
    with open(tmp_path / "out.csv", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
            "id",
            "text",
            "service_code",
            "lgsl_code",
            "confidence",
            "language",
            "flags",
        ]
        rows = list(reader)
    assert rows[0]["service_code"] == "report-pothole" and rows[0]["lgsl_code"] == "557"
    assert float(rows[0]["confidence"]) >= triage_model.get_model().confident and rows[0]["language"] == "en"
    assert rows[1]["service_code"] == "" and rows[1]["lgsl_code"] == ""
    assert rows[2]["flags"] == "gas"
    assert rows[3]["service_code"] == "" and rows[3]["language"] == "und"
    assert rows[4]["language"] == "pl" and rows[4]["service_code"] == ""


def test_classify_needs_a_text_column(tmp_path, catalogue):
    source = tmp_path / "in.csv"
    source.write_text("message\nhello\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'text' column"):
        run("classify", str(source), "--out", str(tmp_path / "out.csv"))
    with pytest.raises(CommandError, match="cannot read"):
        run("classify", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "out.csv"))


def test_train_installs_the_shipped_model_when_the_committed_data_is_unchanged(
    tmp_path, settings, catalogue, triage_model_for_tests
):
    from residenthub.triage.models import ModelVersion

    settings.TRIAGE_MODEL_PATH = str(tmp_path / "model.joblib")
    settings.VAR_DIR = tmp_path
    try:
        out, _err = run("train")
        assert "trained on exactly the committed data" in out
        version = ModelVersion.objects.get(active=True)
        assert version.source == "shipped" and version.scores["thresholds"]["confident"] > 0
        assert triage_model.get_model().version == triage_model.load_shipped().version
    finally:
        triage_model.set_model(triage_model_for_tests)


def test_train_from_a_council_history_alone(tmp_path, settings, catalogue, triage_model_for_tests):
    from residenthub.triage.models import ModelVersion

    settings.TRIAGE_MODEL_PATH = str(tmp_path / "model.joblib")
    settings.VAR_DIR = tmp_path
    rows = [
        ("pothole on the high street", "report-pothole"),
        ("deep hole in the road by the school", "report-pothole"),
        ("the road is broken outside the shop", "report-pothole"),
        ("cracked pavement near the bus stop", "report-pothole"),
        ("street light out on Elm Road", "report-street-light"),
        ("lamp post flickering all night", "report-street-light"),
        ("the lights in our street are off", "report-street-light"),
        ("dark street, the lamp is broken", "report-street-light"),
        ("who won the football", "none"),
        ("what is the weather tomorrow", "none"),
        ("something", "no-such-service"),
    ]
    history = tmp_path / "history.csv"
    history.write_text("text,service_code\n" + "".join(f"{t},{c}\n" for t, c in rows), encoding="utf-8")
    try:
        out, err = run("train", str(history), "--no-seed")
        assert "Trained on" in out and (tmp_path / "model.joblib").exists()
        assert "line 12: unknown service code 'no-such-service' (skipped)" in err
        trained = triage_model.get_model()
        assert trained.examples < 10  # one in five held back to choose the weights and the bar
        assert ModelVersion.objects.get(active=True).version == trained.version
    finally:
        triage_model.set_model(triage_model_for_tests)


def test_train_refuses_a_file_without_the_columns(tmp_path, catalogue):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="text and service_code"):
        run("train", str(bad))


def test_evaluate_prints_accuracy_macro_f1_and_confusion_matrix(catalogue):
    out, _err = run("evaluate", str(triage_model.TEST_FILE))
    assert "Accuracy: 0." in out and "Macro-F1: 0." in out
    assert "Confusion matrix" in out and "report-pothole" in out


def test_retrain_keeps_the_current_model_without_feedback(catalogue):
    out, _err = run("retrain")
    assert "No approved examples" in out and "kept the current model" in out
