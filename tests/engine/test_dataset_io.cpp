// Dataset files: HDF5 round trip (bit-identical), the authors' NPY layout both ways, CSV export, atomic writes
// and clear errors on bad files.
#include "plexus/data/authors_layout.h"
#include "plexus/data/csv_export.h"
#include "plexus/data/dataset_file.h"
#include "plexus/data/npy_file.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <filesystem>
#include <fstream>

using namespace plexus;
namespace fs = std::filesystem;

namespace {

Dataset visualDataset()
{
    ExperimentConfig c = test::smallConfigN4("PDE_N4", 20, 60);
    c.simulation.externalInputType = "visual";
    c.simulation.externalInputMode = "multiplicative";
    c.simulation.nInputNeurons = 9;
    c.simulation.nodeValueMap = "builtin:gratings";
    c.simulation.noiseModelLevel = 0.3;
    return simulate(c);
}

std::vector<std::string> filesIn(const QTemporaryDir& dir)
{
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path().toStdString()))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class TestDatasetIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hdf5RoundTripIsBitIdentical()
    {
        Dataset d = visualDataset();
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "dataset.h5");
        saveDataset(d, path);
        QCOMPARE(filesIn(dir), std::vector<std::string>{"dataset.h5"}); // no temporary left behind
        Dataset back = loadDataset(path);
        QVERIFY(back.activity == d.activity);
        QVERIFY(back.derivative == d.derivative);
        QVERIFY(back.stimulus == d.stimulus);
        QVERIFY(back.types == d.types);
        QVERIFY(back.positions == d.positions);
        QVERIFY(back.connectivity == d.connectivity);
        QVERIFY(back.typeParameters == d.typeParameters);
        QCOMPARE(back.configYaml, d.configYaml);
        QCOMPARE(back.signalModel, std::string("PDE_N4"));
        QCOMPARE(back.inputMode, std::string("multiplicative"));
        QCOMPARE(back.deltaT, d.deltaT);
        QCOMPARE(back.startFrame, d.startFrame);
        DatasetSummary s = readDatasetSummary(path);
        QCOMPARE(s.frames, d.frames());
        QCOMPARE(s.stimulusReceivers, std::int64_t(9));
        QCOMPARE(s.neuronsPerType, (std::vector<std::int64_t>{5, 5, 5, 5}));
    }

    void datasetWithoutInputRoundTrips()
    {
        Dataset d = simulate(test::smallConfig(12, 30));
        QTemporaryDir dir;
        saveDataset(d, test::pathIn(dir, "d.h5"));
        Dataset back = loadDataset(test::pathIn(dir, "d.h5"));
        QCOMPARE(back.stimulus.cols(), Eigen::Index(0));
        QVERIFY(back.activity == d.activity);
    }

    void stoppedSaveLeavesTheOldFileAndNoTemporary()
    {
        Dataset first = simulate(test::smallConfig(12, 30));
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "dataset.h5");
        saveDataset(first, path);
        std::atomic<bool> stop{true};
        Dataset second = simulate(test::smallConfig(16, 30));
        QVERIFY_THROWS_EXCEPTION(CancelledError, saveDataset(second, path, Progress{{}, &stop}));
        QCOMPARE(filesIn(dir), std::vector<std::string>{"dataset.h5"});
        QCOMPARE(loadDataset(path).neurons(), std::int64_t(12));
    }

    void badFilesGiveClearErrors()
    {
        QTemporaryDir dir;
        const std::string text = test::pathIn(dir, "dataset.h5");
        std::ofstream(text) << "hello";
        PLEXUS_VERIFY_THROWS_WITH(loadDataset(text), InputError, text.c_str(), "not an HDF5 file");
        PLEXUS_VERIFY_THROWS_WITH(loadDataset(test::pathIn(dir, "none.h5")), InputError, "none.h5", "not found");
        PLEXUS_VERIFY_THROWS_WITH(saveDataset(simulate(test::smallConfig(8, 5)), "/nonexistent/dir/d.h5"),
                                  InputError, "/nonexistent/dir/d.h5");
    }

    void authorsLayoutRoundTrip()
    {
        Dataset d = visualDataset();
        QTemporaryDir dir;
        exportAuthorsLayout(d, dir.path().toStdString());
        QCOMPARE(filesIn(dir), (std::vector<std::string>{"connectivity.npy", "x_list_0.npy", "y_list_0.npy"}));
        NpyHeader header;
        std::vector<float> x = readNpyAsFloat(test::pathIn(dir, "x_list_0.npy"), &header);
        QCOMPARE(header.shape, (std::vector<std::int64_t>{d.frames(), 20, 8}));
        QCOMPARE(header.dataOffset % 64, std::int64_t(0));
        const std::int64_t f = 7, i = 12; // a neuron without input: column 4 is the neutral 1
        const float* row = &x[static_cast<std::size_t>((f * 20 + i) * 8)];
        QCOMPARE(row[0], 12.0f);
        QCOMPARE(row[1], d.positions(i, 0));
        QCOMPARE(row[3], d.activity(f, i));
        QCOMPARE(row[4], 1.0f);
        QCOMPARE(row[5], 1.0f);
        QCOMPARE(row[6], static_cast<float>(d.types[i]));
        AuthorsImportOptions options;
        options.signalModel = "PDE_N4";
        options.inputNeurons = 9;
        Dataset back = importAuthorsLayout(dir.path().toStdString(), options);
        QVERIFY(back.activity == d.activity);
        QVERIFY(back.derivative == d.derivative);
        QVERIFY(back.stimulus == d.stimulus);
        QVERIFY(back.connectivity == d.connectivity);
        QVERIFY(back.types == d.types);
        QCOMPARE(back.inputMode, std::string("multiplicative"));
    }

    void npyErrorsNameTheFile()
    {
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "x_list_0.npy");
        std::ofstream(path) << "not numpy";
        PLEXUS_VERIFY_THROWS_WITH(readNpyAsFloat(path), InputError, "x_list_0.npy", "not a NumPy");
        const float values[6] = {1, 2, 3, 4, 5, 6};
        writeNpy(path, {2, 3}, values);
        PLEXUS_VERIFY_THROWS_WITH(importAuthorsLayout(dir.path().toStdString()), InputError, "x_list_0.npy",
                                  "(frames, N, 8)");
        PLEXUS_VERIFY_THROWS_WITH(importAuthorsLayout(test::pathIn(dir, "nowhere")), InputError, "not a folder");
    }

    void csvExport()
    {
        Dataset d = simulate(test::smallConfig(10, 20));
        QTemporaryDir dir;
        CsvSelection selection;
        selection.neurons = parseIndexList("0-2,7", 10);
        selection.firstFrame = 3;
        selection.lastFrame = 5;
        const std::string path = test::pathIn(dir, "activity.csv");
        exportTracesCsv(d, d.activity, "u", path, selection);
        std::ifstream in(path);
        std::string header, first;
        std::getline(in, header);
        std::getline(in, first);
        QCOMPARE(header, std::string("frame,time,u0,u1,u2,u7"));
        std::stringstream cells(first);
        std::string cell;
        std::vector<std::string> values;
        while (std::getline(cells, cell, ','))
            values.push_back(cell);
        QCOMPARE(values.size(), std::size_t(6));
        QCOMPARE(values[0], std::string("3"));
        QCOMPARE(std::stof(values[5]), d.activity(3, 7)); // shortest round-trip text
        int lines = 2;
        while (std::getline(in, cell))
            ++lines;
        QCOMPARE(lines, 4);
        PLEXUS_VERIFY_THROWS_WITH(parseIndexList("0-12", 10), InputError, "outside 0..9");
        PLEXUS_VERIFY_THROWS_WITH(parseIndexList("a", 10), InputError, "not a neuron index");
        exportNeuronsCsv(d, test::pathIn(dir, "neurons.csv"));
        exportMatrixCsv(d.connectivity, test::pathIn(dir, "w.csv"));
        QVERIFY(fs::file_size(test::pathIn(dir, "w.csv")) > 100);
    }
};

QTEST_APPLESS_MAIN(TestDatasetIo)
#include "test_dataset_io.moc"
