#include "studio/parameter_editor.h"

#include "studio/run_controller.h"

#include "plexus/config/config_loader.h"
#include "plexus/config/config_schema.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace plexus::ui {

namespace {

enum Column { KeyColumn, ValueColumn, EffectColumn, NoteColumn };
constexpr int kPathRole = Qt::UserRole + 1;

QString effectText(const ConfigField& field)
{
    if (field.usage == FieldUsage::NotUsedYet)
        return QObject::tr("not used yet");
    switch (field.effect) {
    case FieldEffect::Simulation: return QObject::tr("new simulation");
    case FieldEffect::Training: return QObject::tr("new training");
    case FieldEffect::Display: return QObject::tr("live");
    }
    return {};
}

QColor effectColour(const ConfigField& field)
{
    if (field.usage == FieldUsage::NotUsedYet)
        return QColor(140, 140, 140);
    switch (field.effect) {
    case FieldEffect::Simulation: return QColor(200, 90, 20);
    case FieldEffect::Training: return QColor(40, 110, 190);
    case FieldEffect::Display: return QColor(40, 150, 60);
    }
    return {};
}

} // namespace

ParameterEditor::ParameterEditor(RunController* controller, QWidget* parent) : QWidget(parent), m_controller(controller)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Find a parameter…"));
    m_search->setClearButtonEnabled(true);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName("parameterTree");
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Parameter"), tr("Value"), tr("Change needs"), tr("Message")});
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    m_tree->setColumnWidth(KeyColumn, 150);
    m_tree->setColumnWidth(ValueColumn, 95);
    m_tree->setColumnWidth(EffectColumn, 100);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    rebuild();
    connect(m_search, &QLineEdit::textChanged, this, &ParameterEditor::filter);
    connect(m_tree, &QTreeWidget::itemChanged, this, &ParameterEditor::onItemChanged);
    connect(controller, &RunController::configChanged, this, &ParameterEditor::refreshValues);
}

void ParameterEditor::rebuild()
{
    m_updating = true;
    m_tree->clear();
    QTreeWidgetItem* section = nullptr;
    QString sectionName = "#";
    for (const ConfigField& field : configSchema()) {
        const QString name = field.section.empty() ? tr("experiment") : QString::fromStdString(field.section);
        if (name != sectionName) {
            section = new QTreeWidgetItem(m_tree, {name});
            section->setFirstColumnSpanned(true);
            QFont bold = section->font(0);
            bold.setBold(true);
            section->setFont(0, bold);
            section->setExpanded(field.section != "plotting");
            sectionName = name;
        }
        auto* item = new QTreeWidgetItem(section);
        item->setText(KeyColumn, QString::fromStdString(field.key));
        item->setData(KeyColumn, kPathRole, QString::fromStdString(field.path()));
        item->setToolTip(KeyColumn, QString::fromStdString(field.help) + "\n(" + describeType(field.type) + ")");
        item->setToolTip(ValueColumn, QString::fromStdString(field.help));
        item->setText(EffectColumn, effectText(field));
        item->setForeground(EffectColumn, effectColour(field));
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        if (field.usage == FieldUsage::NotUsedYet)
            item->setForeground(KeyColumn, QColor(140, 140, 140));
    }
    m_updating = false;
    refreshValues();
}

void ParameterEditor::refreshValues()
{
    m_updating = true;
    for (const ConfigField& field : configSchema())
        if (QTreeWidgetItem* item = itemFor(QString::fromStdString(field.path()))) {
            item->setText(ValueColumn, QString::fromStdString(formatValue(field.get(m_controller->config()))));
            item->setText(NoteColumn, QString());
            item->setBackground(ValueColumn, QBrush());
        }
    m_updating = false;
}

QTreeWidgetItem* ParameterEditor::itemFor(const QString& path) const
{
    for (int s = 0; s < m_tree->topLevelItemCount(); ++s) {
        QTreeWidgetItem* section = m_tree->topLevelItem(s);
        for (int k = 0; k < section->childCount(); ++k)
            if (section->child(k)->data(KeyColumn, kPathRole).toString() == path)
                return section->child(k);
    }
    return nullptr;
}

void ParameterEditor::onItemChanged(QTreeWidgetItem* item, int column)
{
    if (m_updating || column != ValueColumn)
        return;
    editValue(item->data(KeyColumn, kPathRole).toString(), item->text(ValueColumn));
}

bool ParameterEditor::editValue(const QString& path, const QString& text)
{
    QTreeWidgetItem* item = itemFor(path);
    if (!item)
        return false;
    ExperimentConfig edited = m_controller->config();
    QString error;
    try {
        const std::string baseDir = QFileInfo(m_controller->runDir() + "/").path().toStdString();
        applyConfigOverride(edited, (path + "=" + text).toStdString(), baseDir);
        if (!m_controller->setConfig(edited, &error) && error.isEmpty())
            error = tr("refused");
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    if (error.isEmpty()) {
        refreshValues(); // shows the value as stored (normalised)
        return true;
    }
    m_updating = true;
    item->setText(ValueColumn, text);
    item->setText(NoteColumn, error);
    item->setToolTip(NoteColumn, error);
    item->setForeground(NoteColumn, QColor(200, 30, 30));
    item->setBackground(ValueColumn, QColor(255, 220, 220));
    m_updating = false;
    m_tree->scrollToItem(item);
    return false;
}

QString ParameterEditor::errorFor(const QString& path) const
{
    QTreeWidgetItem* item = itemFor(path);
    return item ? item->text(NoteColumn) : QString();
}

QString ParameterEditor::valueOf(const QString& path) const
{
    QTreeWidgetItem* item = itemFor(path);
    return item ? item->text(ValueColumn) : QString();
}

void ParameterEditor::filter(const QString& text)
{
    for (int s = 0; s < m_tree->topLevelItemCount(); ++s) {
        QTreeWidgetItem* section = m_tree->topLevelItem(s);
        int shown = 0;
        for (int k = 0; k < section->childCount(); ++k) {
            QTreeWidgetItem* item = section->child(k);
            const bool match = text.isEmpty() || item->text(KeyColumn).contains(text, Qt::CaseInsensitive) ||
                               item->toolTip(KeyColumn).contains(text, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        section->setHidden(shown == 0);
        if (!text.isEmpty())
            section->setExpanded(true);
    }
}

} // namespace plexus::ui
