#pragma once

#include "plexus/runtime/reproduction.h"

#include <QDialog>

class QTableWidget;

namespace plexus::ui {

/// The end of a reproduction: the paper's numbers next to the measured ones, each row's target and pass/fail
/// (the table `plexus-cli reproduce` prints), and where reproduction.json was written.
class ReproductionDialog : public QDialog
{
    Q_OBJECT
public:
    ReproductionDialog(const ReproductionResult& result, const QString& jsonPath, QWidget* parent = nullptr);
    QTableWidget* table() const { return m_table; }

private:
    QTableWidget* m_table;
};

} // namespace plexus::ui
