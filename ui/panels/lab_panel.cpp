#include "panels/lab_panel.h"

#include "plots/plot_style.h"
#include "studio/lab_session.h"
#include "studio/neuron_selection.h"
#include "studio/run_controller.h"
#include "studio/theme.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/lab/perturbed_rollout.h"
#include "plexus/sim/dynamics.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextStream>
#include <QUndoStack>

#include <algorithm>

namespace plexus::ui {

namespace {

constexpr int kMaxTraced = 4;

const QColor& traceColour(std::size_t k)
{
    static const QColor kColours[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                                      QColor(148, 103, 189)};
    return kColours[k % 4];
}

QPushButton* button(const QString& text, const QString& name, QWidget* parent)
{
    auto* b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

QString fitText(const LinearFit& fit)
{
    return QString("R² %1, slope %2").arg(fit.r2, 0, 'f', 3).arg(fit.slope, 0, 'f', 3);
}

} // namespace

LabPanel::LabPanel(RunController* controller, NeuronSelection* selection, LabSession* lab, QWidget* parent)
    : Panel("lab", tr("Lab"), controller, selection, parent), m_lab(lab)
{
    m_info = addInfoLabel();
    m_preset = new QComboBox(this);
    m_preset->setObjectName("labPreset");
    m_preset->addItem(tr("preset…"));
    m_preset->addItem(tr("Supp 5: new W (25 %), types 10/20/30/40 %"), "supp_5");
    m_preset->addItem(tr("Supp 6: new W (50 %), types 60/40/0/0 %"), "supp_6");
    m_run = button(tr("Run"), "labRun", this);
    m_stop = button(tr("Stop"), "labStop", this);
    m_undo = button(tr("Undo"), "labUndo", this);
    m_redo = button(tr("Redo"), "labRedo", this);
    m_clear = button(tr("Clear"), "labClear", this);
    m_frames = new QSpinBox(this);
    m_frames->setRange(10, 100000);
    m_frames->setSingleStep(100);
    m_frames->setSuffix(tr(" frames"));
    auto* commands = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_preset, m_frames, m_run, m_stop, m_undo, m_redo, m_clear})
        commands->addWidget(w);
    commands->addStretch(1);
    body()->addLayout(commands);

    auto* edits = new QGridLayout;
    m_neuron = new QSpinBox(this);
    m_neuron->setPrefix(tr("neuron "));
    m_from = new QSpinBox(this);
    m_from->setPrefix(tr("from "));
    m_to = new QSpinBox(this);
    m_to->setPrefix(tr("to "));
    m_factor = new QDoubleSpinBox(this);
    m_factor->setRange(-100, 100);
    m_factor->setValue(2.0);
    m_factor->setPrefix("× ");
    m_gainFrom = new QComboBox(this);
    m_gainTo = new QComboBox(this);
    m_gain = new QDoubleSpinBox(this);
    m_gain->setRange(-100, 100);
    m_gain->setValue(2.0);
    m_gain->setPrefix("× ");
    m_parameterType = new QComboBox(this);
    m_parameterName = new QComboBox(this);
    m_parameterValue = new QDoubleSpinBox(this);
    m_parameterValue->setRange(-1000, 1000);
    m_parameterValue->setDecimals(3);
    m_filling = new QDoubleSpinBox(this);
    m_filling->setRange(0.01, 1.0);
    m_filling->setSingleStep(0.05);
    m_filling->setValue(0.25);
    m_filling->setPrefix(tr("filling "));
    m_seed = new QSpinBox(this);
    m_seed->setRange(1, 1000000);
    m_seed->setPrefix(tr("seed "));
    m_proportions = new QLineEdit(this);
    m_proportions->setObjectName("labProportions");
    m_proportions->setPlaceholderText(tr("proportions, e.g. 0.1, 0.2, 0.3, 0.4"));
    m_amplitude = new QDoubleSpinBox(this);
    m_amplitude->setRange(0, 1000);
    m_amplitude->setPrefix(tr("amplitude "));
    m_frequency = new QDoubleSpinBox(this);
    m_frequency->setRange(0, 1000);
    m_frequency->setPrefix(tr("frequency "));
    m_applyInput = button(tr("New input"), "labInput", this);
    m_applyInput->setToolTip(tr("The oscillating input with this amplitude and frequency, on both sides"));
    m_movie = button(tr("Movie…"), "labMovie", this);
    m_movie->setToolTip(tr("Show both sides another movie (TIFF stack or PNG folder)"));
    auto* hub = button(tr("Select hub"), "labHub", this);
    hub->setToolTip(tr("Select the neuron with the strongest outgoing connections (true W), the next one on each click"));
    auto* silence = button(tr("Silence"), "labSilence", this);
    silence->setToolTip(tr("Cut every outgoing connection of the neuron and hold its activity at 0, on both sides"));
    auto* cut = button(tr("Cut"), "labCut", this);
    cut->setToolTip(tr("Click two neurons in a view: the sender, then the receiver"));
    auto* scale = button(tr("Scale"), "labScale", this);
    auto* gain = button(tr("Apply gain"), "labGain", this);
    auto* parameter = button(tr("Set (true side only)"), "labParameter", this);
    parameter->setToolTip(tr("The learned model cannot know a changed parameter: its side runs with what it learned"));
    auto* redrawW = button(tr("New W"), "labNewW", this);
    auto* types = button(tr("New types"), "labNewTypes", this);
    int row = 0;
    edits->addWidget(new QLabel(tr("Neuron"), this), row, 0);
    edits->addWidget(m_neuron, row, 1);
    edits->addWidget(hub, row, 2);
    edits->addWidget(silence, row++, 4);
    edits->addWidget(new QLabel(tr("Connection"), this), row, 0);
    edits->addWidget(m_from, row, 1);
    edits->addWidget(m_to, row, 2);
    edits->addWidget(m_factor, row, 3);
    auto* connectionButtons = new QHBoxLayout;
    connectionButtons->addWidget(cut);
    connectionButtons->addWidget(scale);
    edits->addLayout(connectionButtons, row++, 4);
    edits->addWidget(new QLabel(tr("Type gain"), this), row, 0);
    edits->addWidget(m_gainFrom, row, 1);
    edits->addWidget(m_gainTo, row, 2);
    edits->addWidget(m_gain, row, 3);
    edits->addWidget(gain, row++, 4);
    edits->addWidget(new QLabel(tr("Parameter"), this), row, 0);
    edits->addWidget(m_parameterType, row, 1);
    edits->addWidget(m_parameterName, row, 2);
    edits->addWidget(m_parameterValue, row, 3);
    edits->addWidget(parameter, row++, 4);
    edits->addWidget(new QLabel(tr("Network"), this), row, 0);
    edits->addWidget(m_filling, row, 1);
    edits->addWidget(m_seed, row, 2);
    edits->addWidget(redrawW, row++, 4);
    edits->addWidget(new QLabel(tr("Types"), this), row, 0);
    edits->addWidget(m_proportions, row, 1, 1, 3);
    edits->addWidget(types, row++, 4);
    edits->addWidget(new QLabel(tr("Input"), this), row, 0);
    edits->addWidget(m_amplitude, row, 1);
    edits->addWidget(m_frequency, row, 2);
    edits->addWidget(m_movie, row, 3);
    edits->addWidget(m_applyInput, row++, 4);
    auto* editor = new QWidget(this);
    editor->setLayout(edits);
    editor->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    edits->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    top->addWidget(editor, 3);
    m_edits = new QListWidget(this);
    m_edits->setObjectName("labEdits");
    m_edits->setToolTip(tr("The edits, applied to the true simulator and to the learned model alike"));
    m_edits->setMaximumHeight(editor->sizeHint().height());
    top->addWidget(m_edits, 2);
    body()->addLayout(top);
    m_message = new QLabel(this);
    m_message->setObjectName("labMessage");
    m_message->setWordWrap(true);
    body()->addWidget(m_message);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(6);
    body()->addWidget(m_progress);
    m_result = new QLabel(this);
    m_result->setObjectName("labResult");
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body()->addWidget(m_result);
    m_traces = makePlot(this, tr("frame"), tr("u: true —, learned - -"));
    m_traces->legend->setFont(QFont(font().family(), 8)); // placed and shown by placeLegendAbove once it lists traces
    m_agreement = makePlot(this, tr("frame"), tr("R² across neurons"));
    auto* plots = new QHBoxLayout;
    plots->addWidget(m_traces, 3);
    plots->addWidget(m_agreement, 2);
    body()->addLayout(plots, 1);

    connect(m_run, &QPushButton::clicked, lab, &LabSession::run);
    connect(m_stop, &QPushButton::clicked, lab, &LabSession::stop);
    connect(m_undo, &QPushButton::clicked, lab->undoStack(), &QUndoStack::undo);
    connect(m_redo, &QPushButton::clicked, lab->undoStack(), &QUndoStack::redo);
    connect(m_clear, &QPushButton::clicked, this, [this] { push(Perturbation{}, tr("clear the edits")); });
    connect(m_preset, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            applyPreset(m_preset->itemData(index).toString());
        m_preset->setCurrentIndex(0);
    });
    connect(m_frames, &QSpinBox::valueChanged, this, [this](int frames) { m_lab->setFrames(frames); });
    connect(silence, &QPushButton::clicked, this, &LabPanel::silenceSelected);
    connect(hub, &QPushButton::clicked, this, &LabPanel::selectNextHub);
    connect(cut, &QPushButton::clicked, this, &LabPanel::cutConnection);
    connect(scale, &QPushButton::clicked, this, &LabPanel::scaleConnection);
    connect(gain, &QPushButton::clicked, this, &LabPanel::applyTypeGain);
    connect(parameter, &QPushButton::clicked, this, &LabPanel::applyParameter);
    connect(redrawW, &QPushButton::clicked, this, &LabPanel::drawNewConnectivity);
    connect(types, &QPushButton::clicked, this, &LabPanel::applyTypeProportions);
    connect(m_applyInput, &QPushButton::clicked, this, [this] { applyInput(); });
    connect(m_movie, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Another movie"), {},
                                                          tr("TIFF stacks (*.tif *.tiff);;All files (*)"));
        if (!path.isEmpty())
            applyInput(path);
    });
    connect(m_parameterType, &QComboBox::currentIndexChanged, this, [this] {
        const auto data = this->controller()->dataset();
        const int type = m_parameterType->currentIndex(), name = m_parameterName->currentIndex();
        if (data && type >= 0 && name >= 0 && type < data->typeParameters.rows() && name < data->typeParameters.cols())
            m_parameterValue->setValue(data->typeParameters(type, name));
    });
    connect(m_parameterName, &QComboBox::currentIndexChanged, m_parameterType, [this] {
        Q_EMIT m_parameterType->currentIndexChanged(m_parameterType->currentIndex());
    });
    connect(lab, &LabSession::editsChanged, this, &LabPanel::markDirty);
    connect(lab, &LabSession::resultChanged, this, &LabPanel::markDirty);
    connect(lab, &LabSession::runningChanged, this, &LabPanel::markDirty);
    connect(lab, &LabSession::progressChanged, this, [this] { m_progress->setValue(static_cast<int>(1000 * m_lab->fraction())); });
    connect(lab, &LabSession::errorOccurred, this, &LabPanel::showError);
    connect(lab->undoStack(), &QUndoStack::indexChanged, this, &LabPanel::markDirty);
    connect(controller, &RunController::datasetChanged, this, [this] {
        fillTypeChoices();
        markDirty();
    });
    connect(controller, &RunController::stateChanged, this, &LabPanel::markDirty);
    connect(controller, &RunController::configChanged, this, &LabPanel::fillTypeChoices);
    connect(selection, &NeuronSelection::changed, this, &LabPanel::markSelectionDirty);
    fillTypeChoices();
}

void LabPanel::fillTypeChoices()
{
    const auto data = controller()->dataset();
    const int types = data ? static_cast<int>(data->typeParameters.rows()) : 0;
    const int neurons = data ? static_cast<int>(data->neurons()) : 1;
    for (QSpinBox* spin : {m_neuron, m_from, m_to})
        spin->setRange(0, std::max(0, neurons - 1));
    m_gainFrom->clear();
    m_gainTo->clear();
    m_parameterType->clear();
    m_gainFrom->addItem(tr("from any type"), -1);
    m_gainTo->addItem(tr("to any type"), -1);
    for (int k = 0; k < types; ++k) {
        m_gainFrom->addItem(tr("from type %1").arg(k), k);
        m_gainTo->addItem(tr("to type %1").arg(k), k);
        m_parameterType->addItem(tr("type %1").arg(k), k);
    }
    m_parameterName->clear();
    if (data && types > 0)
        for (const std::string& name : parameterNames(parseDynamicsModel(data->signalModel)))
            m_parameterName->addItem(QString::fromStdString(name));
    const auto& sim = controller()->config().simulation;
    const bool oscillating = sim.externalInputType == "signal" && sim.signalInputType == "oscillatory";
    const bool movie = sim.externalInputType == "visual" || sim.externalInputType == "modulation";
    m_amplitude->setValue(sim.oscillationMaxAmplitude);
    m_frequency->setValue(sim.oscillationFrequency);
    for (QWidget* w : std::initializer_list<QWidget*>{m_amplitude, m_frequency, m_applyInput})
        w->setEnabled(oscillating);
    m_movie->setEnabled(movie);
    QStringList equal;
    for (int k = 0; k < types; ++k)
        equal << QString::number(1.0 / types, 'g', 3);
    m_proportions->setText(equal.join(", "));
}

bool LabPanel::push(const Perturbation& next, const QString& text)
{
    QString error;
    if (!m_lab->edit(next, text, &error)) {
        showError(error);
        return false;
    }
    m_message->clear();
    Q_EMIT edited();
    return true;
}

void LabPanel::showError(const QString& message)
{
    m_message->setText(QString("<span style='color:#c0392b'>%1</span>").arg(message.toHtmlEscaped()));
}

int LabPanel::selectNextHub()
{
    const auto data = controller()->dataset();
    if (!data || data->connectivity.rows() != data->neurons())
        return -1;
    const std::vector<std::int64_t> hubs = hubNeurons(data->connectivity, static_cast<std::size_t>(data->neurons()));
    // The strongest sender not silenced yet, after the one shown now when it is a hub.
    const auto& silenced = m_lab->perturbation().silenced;
    auto at = std::find(hubs.begin(), hubs.end(), static_cast<std::int64_t>(selection()->current()));
    at = at == hubs.end() ? hubs.begin() : at + 1;
    for (; at != hubs.end(); ++at)
        if (std::find(silenced.begin(), silenced.end(), *at) == silenced.end())
            break;
    if (at == hubs.end())
        return -1;
    selection()->setCurrent(static_cast<int>(*at));
    return static_cast<int>(*at);
}

bool LabPanel::silenceSelected()
{
    Perturbation p = m_lab->perturbation();
    const std::int64_t n = m_neuron->value();
    if (std::find(p.silenced.begin(), p.silenced.end(), n) != p.silenced.end()) {
        showError(tr("Neuron %1 is silenced already.").arg(n));
        return false;
    }
    p.silenced.push_back(n);
    return push(p, tr("silence neuron %1").arg(n));
}

void LabPanel::setConnection(std::int64_t from, std::int64_t to)
{
    m_from->setValue(static_cast<int>(from));
    m_to->setValue(static_cast<int>(to));
}

bool LabPanel::cutConnection()
{
    Perturbation p = m_lab->perturbation();
    p.connections.push_back({m_from->value(), m_to->value(), 0.0});
    return push(p, tr("cut %1 → %2").arg(m_from->value()).arg(m_to->value()));
}

bool LabPanel::scaleConnection()
{
    Perturbation p = m_lab->perturbation();
    p.connections.push_back({m_from->value(), m_to->value(), m_factor->value()});
    return push(p, tr("connection %1 → %2 × %3").arg(m_from->value()).arg(m_to->value()).arg(m_factor->value()));
}

bool LabPanel::applyTypeGain()
{
    Perturbation p = m_lab->perturbation();
    p.blocks.push_back({m_gainFrom->currentData().toInt(), m_gainTo->currentData().toInt(), m_gain->value()});
    return push(p, tr("%1 %2 × %3").arg(m_gainFrom->currentText(), m_gainTo->currentText()).arg(m_gain->value()));
}

bool LabPanel::applyParameter()
{
    if (m_parameterType->currentIndex() < 0 || m_parameterName->currentIndex() < 0) {
        showError(tr("This run has no parameter table (an imported recording)."));
        return false;
    }
    Perturbation p = m_lab->perturbation();
    p.parameters.push_back({m_parameterType->currentData().toInt(), m_parameterName->currentText().toStdString(),
                            m_parameterValue->value()});
    return push(p, tr("type %1: %2 = %3")
                       .arg(m_parameterType->currentData().toInt())
                       .arg(m_parameterName->currentText())
                       .arg(m_parameterValue->value()));
}

bool LabPanel::applyPreset(const QString& name)
{
    Perturbation p = m_lab->perturbation();
    const Perturbation preset = presetPerturbation(name.toStdString(), m_seed->value());
    p.connectivity = preset.connectivity;
    p.types = preset.types;
    return push(p, tr("preset %1").arg(name));
}

bool LabPanel::drawNewConnectivity()
{
    Perturbation p = m_lab->perturbation();
    p.connectivity = ConnectivityRedraw{m_filling->value(), m_seed->value()};
    return push(p, tr("new W, filling factor %1").arg(m_filling->value()));
}

bool LabPanel::applyTypeProportions()
{
    TypeRedraw redraw{{}, m_seed->value()};
    for (const QString& item : m_proportions->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        redraw.proportions.push_back(item.trimmed().toDouble(&ok));
        if (!ok) {
            showError(tr("Types: '%1' is not a number; write proportions separated by commas.").arg(item.trimmed()));
            return false;
        }
    }
    Perturbation p = m_lab->perturbation();
    p.types = redraw;
    return push(p, tr("new types %1").arg(m_proportions->text()));
}

bool LabPanel::applyInput(const QString& movie)
{
    Perturbation p = m_lab->perturbation();
    InputEdit input;
    QString text;
    if (movie.isEmpty()) {
        input.amplitude = m_amplitude->value();
        input.frequency = m_frequency->value();
        text = tr("input amplitude %1, frequency %2").arg(m_amplitude->value()).arg(m_frequency->value());
    } else {
        input.movie = movie.toStdString();
        text = tr("input movie %1").arg(QFileInfo(movie).fileName());
    }
    p.input = input;
    return push(p, text);
}

void LabPanel::redrawSelection()
{
    syncSelection();
    drawTraces();
}

void LabPanel::syncSelection()
{
    const int selected = selection()->current();
    if (selected >= 0 && selected != m_previousSelection) {
        // Two clicks pick a connection: the sender, then the receiver.
        if (m_previousSelection >= 0 && m_previousSelection != selected)
            setConnection(m_previousSelection, selected);
        m_neuron->setValue(selected);
        m_previousSelection = selected;
        std::vector<std::int64_t> shown = m_lab->state().shownNeurons;
        shown.erase(std::remove(shown.begin(), shown.end(), selected), shown.end());
        shown.insert(shown.begin(), selected);
        if (shown.size() > static_cast<std::size_t>(kMaxTraced))
            shown.resize(kMaxTraced);
        m_lab->setShownNeurons(shown);
    }
}

bool LabPanel::redraw()
{
    syncSelection();
    const auto data = controller()->dataset();
    const bool running = m_lab->running();
    const bool trained = !controller()->runFolder().checkpoints().empty();
    const bool truth = data && hasGroundTruth(*data);
    m_run->setEnabled(data && truth && trained && !running);
    m_stop->setEnabled(running);
    m_undo->setEnabled(m_lab->undoStack()->canUndo() && !running);
    m_redo->setEnabled(m_lab->undoStack()->canRedo() && !running);
    m_clear->setEnabled(!m_lab->perturbation().empty() && !running);
    m_undo->setToolTip(m_lab->undoStack()->undoText());
    m_redo->setToolTip(m_lab->undoStack()->redoText());
    {
        const QSignalBlocker blocker(m_frames);
        m_frames->setValue(static_cast<int>(m_lab->state().frames));
    }
    m_edits->clear();
    for (const std::string& line : m_lab->perturbation().describe())
        m_edits->addItem(QString::fromStdString(line));
    if (m_edits->count() == 0)
        m_edits->addItem(tr("no edits: Run gives the plain roll-out"));
    if (!running)
        m_progress->setValue(m_lab->result() ? 1000 : 0);
    m_info->setText(!data      ? tr("No data: press Simulate (or open a run).")
                    : !truth   ? tr("The lab compares the trained model with the true network; this recording has none.")
                    : !trained ? tr("Train first: the lab compares the trained model with the true network.")
                    : running  ? tr("Rolling both sides out…")
                               : tr("What if the circuit changed? Edit it, then Run: the true network and the "
                                    "learned model, both from the first frame."));
    m_result->setText(resultText());
    drawTraces();
    drawAgreement();
    return data != nullptr;
}

QString LabPanel::resultText() const
{
    const auto r = m_lab->result();
    if (!r)
        return {};
    const RolloutScore& s = r->score;
    QString text = tr("%1 frames (%2): ").arg(s.frames).arg(m_lab->resultCheckpoint());
    text += s.frames >= 400 ? tr("@400 %1").arg(fitText(s.at400)) : QString();
    text += s.frames >= 800 ? tr("; @800 %1").arg(fitText(s.at800)) : QString();
    text += tr("; mean neuron r %1.").arg(s.meanNeuronCorrelation, 0, 'f', 3);
    if (s.divergedAt >= 0)
        text += tr(" The learned side diverged at frame %1.").arg(s.divergedAt);
    if (r->departureOrder.empty()) {
        text += tr(" No neuron parts by more than %1.").arg(r->departureThreshold, 0, 'g', 3);
    } else {
        QStringList first;
        for (std::size_t i = 0; i < std::min<std::size_t>(5, r->departureOrder.size()); ++i)
            first << tr("%1 (frame %2)").arg(r->departureOrder[i]).arg(r->firstDeparture[static_cast<std::size_t>(r->departureOrder[i])]);
        text += tr(" %1 neurons part by more than %2; first: %3.")
                    .arg(r->departureOrder.size())
                    .arg(r->departureThreshold, 0, 'g', 3)
                    .arg(first.join(", "));
    }
    for (const std::string& note : r->network.notes)
        text += "\n" + QString::fromStdString(note);
    return text;
}

void LabPanel::drawTraces()
{
    m_traces->clearGraphs();
    const auto r = m_lab->result();
    if (!r) {
        placeLegendAbove(m_traces, 4);
        m_traces->replot();
        return;
    }
    std::vector<std::int64_t> shown = m_lab->state().shownNeurons;
    if (shown.empty())
        shown.assign(r->departureOrder.begin(), r->departureOrder.begin() + std::min<std::size_t>(3, r->departureOrder.size()));
    const Eigen::Index frames = r->traces.truth.rows();
    QVector<double> x(frames);
    for (Eigen::Index f = 0; f < frames; ++f)
        x[f] = static_cast<double>(f);
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const std::int64_t n = shown[k];
        if (n < 0 || n >= r->traces.truth.cols())
            continue;
        QVector<double> truth(frames), learned(frames);
        for (Eigen::Index f = 0; f < frames; ++f) {
            truth[f] = r->traces.truth(f, n);
            learned[f] = r->traces.learned(f, n);
        }
        QCPGraph* t = m_traces->addGraph();
        t->setData(x, truth, true);
        t->setPen(QPen(traceColour(k), 2));
        t->setName(tr("neuron %1").arg(n));
        QCPGraph* l = m_traces->addGraph();
        l->setData(x, learned, true);
        l->setPen(QPen(traceColour(k), 2, Qt::DashLine));
        l->removeFromLegend();
    }
    placeLegendAbove(m_traces, 4);
    m_traces->rescaleAxes();
    m_traces->replot();
}

void LabPanel::drawAgreement()
{
    m_agreement->clearGraphs();
    const auto r = m_lab->result();
    if (r && !r->fitPerFrame.empty()) {
        QVector<double> x, y;
        for (std::size_t f = 0; f < r->fitPerFrame.size(); ++f) {
            x.push_back(static_cast<double>(f));
            y.push_back(r->fitPerFrame[f].r2);
        }
        QCPGraph* g = m_agreement->addGraph();
        g->setData(x, y, true);
        g->setPen(QPen(ThemeManager::instance().theme().foreground, 2));
        m_agreement->xAxis->setRange(0, std::max(1.0, x.back()));
        m_agreement->yAxis->setRange(std::min(0.0, *std::min_element(y.begin(), y.end())), 1.05);
    }
    m_agreement->replot();
}

QString LabPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    const auto r = m_lab->result();
    const std::vector<std::int64_t>& shown = m_lab->state().shownNeurons;
    out << "frame,r2,slope";
    for (std::int64_t n : shown)
        out << ",u" << n << "_true,u" << n << "_learned";
    out << "\n";
    if (!r)
        return text;
    for (std::size_t f = 0; f < r->fitPerFrame.size(); ++f) {
        out << f << "," << r->fitPerFrame[f].r2 << "," << r->fitPerFrame[f].slope;
        for (std::int64_t n : shown)
            if (n >= 0 && n < r->traces.truth.cols())
                out << "," << r->traces.truth(static_cast<Eigen::Index>(f), n) << ","
                    << r->traces.learned(static_cast<Eigen::Index>(f), n);
        out << "\n";
    }
    return text;
}

} // namespace plexus::ui
