#pragma once

#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace plexus::ui {

class RunController;

/// The experiment's parameters, generated from the config schema: one row per key with its value (editable,
/// checked as typed), what a change needs (live / new training / new simulation) and, after a bad value, the
/// error next to the field. Valid edits go to the controller at once.
class ParameterEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterEditor(RunController* controller, QWidget* parent = nullptr);

    /// Sets `path` (e.g. "training.batch_size") to `text` as if typed; returns false and shows the error when
    /// the value is refused.
    bool editValue(const QString& path, const QString& text);
    /// The error shown next to `path` ("" when none).
    QString errorFor(const QString& path) const;
    /// The value shown for `path`.
    QString valueOf(const QString& path) const;

private:
    void rebuild();
    void refreshValues();
    void onItemChanged(QTreeWidgetItem* item, int column);
    void filter(const QString& text);
    QTreeWidgetItem* itemFor(const QString& path) const;

    RunController* m_controller;
    QLineEdit* m_search;
    QTreeWidget* m_tree;
    bool m_updating = false;
};

} // namespace plexus::ui
