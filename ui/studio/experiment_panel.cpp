#include "studio/experiment_panel.h"

#include "studio/parameter_editor.h"
#include "studio/run_controller.h"

#include "plexus/config/presets.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

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
    auto* row = new QHBoxLayout;
    row->addWidget(m_presets, 1);
    row->addWidget(m_load);
    layout->addWidget(m_runLabel);
    layout->addLayout(row);
    layout->addWidget(m_description);
    m_editor = new ParameterEditor(controller, this);
    layout->addWidget(m_editor, 1);
    const auto describe = [this] { m_description->setText(m_presets->currentData().toString()); };
    connect(m_presets, &QComboBox::currentIndexChanged, this, describe);
    describe();
    connect(m_load, &QPushButton::clicked, this, [this] { Q_EMIT presetRequested(m_presets->currentText()); });
    connect(controller, &RunController::runDirChanged, this, &ExperimentPanel::showRun);
    connect(controller, &RunController::configChanged, this, &ExperimentPanel::showRun);
    showRun();
}

void ExperimentPanel::showRun()
{
    const QString name = QString::fromStdString(m_controller->config().dataset);
    m_runLabel->setText(m_controller->runDir().isEmpty()
                            ? tr("No run open.")
                            : tr("<b>%1</b><br><small>%2</small>").arg(name.isEmpty() ? tr("experiment") : name,
                                                                      m_controller->runDir().toHtmlEscaped()));
    const QString source = QString::fromStdString(m_controller->config().source);
    const int index = m_presets->findText(source.startsWith("preset:") ? source.mid(7) : name);
    if (index >= 0)
        m_presets->setCurrentIndex(index);
}

} // namespace plexus::ui
