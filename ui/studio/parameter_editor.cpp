#include "studio/parameter_editor.h"

#include "studio/run_controller.h"
#include "studio/space_for_pause.h"

#include "plexus/config/config_loader.h"
#include "plexus/config/config_schema.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
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
    m_search->setObjectName("parameterSearch");
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
    m_message = new QLabel(this);
    m_message->setObjectName("editMessage");
    m_message->setWordWrap(true);
    m_message->setStyleSheet("color: rgb(200, 30, 30)");
    m_message->hide();
    m_confirm = [this](const QString& consequence) {
        return QMessageBox::question(this, tr("Set the data aside?"), consequence + "\n\n" + tr("Go on?"),
                                     QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes;
    };
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_message);
    rebuild();
    connect(m_search, &QLineEdit::textChanged, this, &ParameterEditor::filter);
    connect(m_tree, &QTreeWidget::itemChanged, this, &ParameterEditor::onItemChanged);
    connect(controller, &RunController::configChanged, this, &ParameterEditor::refreshValues);
    // Space is text in the search and in a text-valued parameter; in a number it means Pause.
    SpaceForPause::setTypesSpaces(m_search, true);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        const QString path = item ? item->data(KeyColumn, kPathRole).toString() : QString();
        const ConfigField* field = path.isEmpty() ? nullptr : findConfigField(path.toStdString());
        SpaceForPause::setTypesSpaces(m_tree, field && field->type == ConfigType::String);
    });
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
            item->setToolTip(ValueColumn, QString::fromStdString(field.help));
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

namespace {

/// The reason without the command-line wording: "--set simulation.n_neurons: expected …" → "expected …".
QString plainReason(QString reason, const QString& path)
{
    for (const QString& prefix : {QStringLiteral("--set ") + path + ": ", path + ": "}) {
        const int at = reason.indexOf(prefix);
        if (at >= 0)
            reason = reason.mid(at + prefix.size());
    }
    if (reason.startsWith("preset:") || reason.startsWith("/")) // "preset:demo: simulation.x: …" → the last part
        reason = reason.section(": ", -1);
    return reason.isEmpty() ? reason : reason.left(1).toUpper() + reason.mid(1);
}

} // namespace

QString ParameterEditor::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
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
        const QString consequence = m_controller->editConsequence(edited);
        if (!consequence.isEmpty() && !m_confirm(consequence))
            error = tr("not changed: the data and the trained model were kept");
        else if (!m_controller->setConfig(edited, &error) && error.isEmpty())
            error = tr("refused");
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    if (error.isEmpty()) {
        m_message->hide();
        refreshValues(); // shows the value as stored (normalised)
        return true;
    }
    const QString reason = plainReason(error, path);
    refreshValues(); // back to the value in force: a refused value is never shown as if taken
    m_updating = true;
    item->setText(NoteColumn, reason);
    item->setToolTip(ValueColumn, tr("%1 was not taken: %2").arg(text, reason));
    item->setToolTip(NoteColumn, reason);
    item->setForeground(NoteColumn, QColor(200, 30, 30));
    item->setBackground(ValueColumn, QColor(255, 220, 220));
    m_updating = false;
    m_message->setText(tr("%1 = %2 was not taken: %3. It stays %4.")
                           .arg(item->text(KeyColumn), text, reason, item->text(ValueColumn)));
    m_message->show();
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
