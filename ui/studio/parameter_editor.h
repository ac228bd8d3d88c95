#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace plexus::ui {

class RunController;

/// The experiment's parameters, generated from the config schema: one row per key with its value (editable,
/// checked as typed) and what a change needs (live / new training / new simulation). Valid edits go to the
/// controller at once; a refused one reverts to the value in force and says why in plain words under the list
/// (and on the row). An edit that needs a new simulation asks first: it clears the data and the trained model.
class ParameterEditor : public QWidget
{
    Q_OBJECT
public:
    /// Asked before an edit that sets data aside, with what it sets aside; true to go on.
    using Confirmation = std::function<bool(const QString& consequence)>;

    explicit ParameterEditor(RunController* controller, QWidget* parent = nullptr);

    /// Replaces the question box (tests, automation).
    void setConfirmation(Confirmation confirmation) { m_confirm = std::move(confirmation); }
    /// The plain-words message under the list ("" when none).
    QString message() const;

    /// Sets `path` (e.g. "training.batch_size") to `text` as if typed; returns false, reverts and shows the reason
    /// when the value is refused (or the user declines to set the data aside).
    bool editValue(const QString& path, const QString& text);
    /// The reason shown on `path`'s row ("" when none).
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
    QLabel* m_message;
    Confirmation m_confirm;
    bool m_updating = false;
};

} // namespace plexus::ui
