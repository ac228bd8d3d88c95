#include "studio/experiment_panel.h"

#include "studio/parameter_editor.h"
#include "studio/run_controller.h"

#include "plexus/config/presets.h"
#include "plexus/config/recipes.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace plexus::ui {

ExperimentPanel::ExperimentPanel(RunController* controller, QWidget* parent) : QWidget(parent), m_controller(controller)
{
    setObjectName("experiment");
    setMinimumWidth(330);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_runLabel = new QLabel(this);
    m_runLabel->setWordWrap(true);
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_presets = new QComboBox(this);
    m_presets->setObjectName("presetBox");
    for (const PresetInfo& preset : listPresets())
        m_presets->addItem(QString::fromStdString(preset.name), QString::fromStdString(preset.description));
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_load = new QPushButton(tr("New run"), this);
    m_load->setToolTip(tr("Start a new run of this experiment (its own folder)"));
    m_reproduce = new QPushButton(tr("Reproduce"), this);
    m_reproduce->setObjectName("reproduceButton");
    auto* row = new QHBoxLayout;
    row->addWidget(m_presets, 1);
    row->addWidget(m_load);
    row->addWidget(m_reproduce);
    layout->addWidget(m_runLabel);
    auto* presetsLabel = new QLabel(tr("Start a new run from a preset:"), this);
    presetsLabel->setStyleSheet("color: palette(mid)");
    layout->addWidget(presetsLabel);
    layout->addLayout(row);
    layout->addWidget(m_description);
    m_editor = new ParameterEditor(controller, this);
    layout->addWidget(m_editor, 1);
    connect(m_presets, &QComboBox::currentIndexChanged, this, &ExperimentPanel::describePreset);
    describePreset();
    connect(m_load, &QPushButton::clicked, this, [this] { Q_EMIT presetRequested(m_presets->currentText()); });
    connect(m_reproduce, &QPushButton::clicked, this, [this] { Q_EMIT reproduceRequested(m_presets->currentText()); });
    connect(controller, &RunController::runDirChanged, this, &ExperimentPanel::showRun);
    connect(controller, &RunController::configChanged, this, &ExperimentPanel::showRun);
    showRun();
}

void ExperimentPanel::describePreset()
{
    m_description->setText(m_presets->currentData().toString());
    m_description->setVisible(m_presets->currentData().toString().toStdString() != m_controller->config().description);
    const std::vector<std::string> recipes = recipeNames();
    const bool hasRecipe =
        std::find(recipes.begin(), recipes.end(), m_presets->currentText().toStdString()) != recipes.end();
    m_reproduce->setEnabled(hasRecipe);
    m_reproduce->setToolTip(hasRecipe ? tr("A new run that simulates, trains with this experiment's reproduction "
                                           "recipe and shows the paper's numbers next to the measured ones")
                                      : tr("This preset has no reproduction recipe"));
}

void ExperimentPanel::showRun()
{
    const QString name = QString::fromStdString(m_controller->config().dataset);
    const QString description = QString::fromStdString(m_controller->config().description);
    m_runLabel->setText(m_controller->runDir().isEmpty()
                            ? tr("No run open.")
                            : tr("<b>%1</b> — %3<br><small>%2</small>")
                                  .arg(name.isEmpty() ? tr("experiment") : name, m_controller->runDir().toHtmlEscaped(),
                                       description.toHtmlEscaped()));
    const QString source = QString::fromStdString(m_controller->config().source);
    const int index = m_presets->findText(source.startsWith("preset:") ? source.mid(7) : name);
    if (index >= 0)
        m_presets->setCurrentIndex(index);
    describePreset();
}

} // namespace plexus::ui
