#include "panels/panel_explanations.h"

#include <QObject>

namespace plexus::ui {

namespace {

QString moreLink()
{
    return QObject::tr(" <a href=\"about:method\">About the method…</a>");
}

} // namespace

QString panelExplanation(const QString& name)
{
    QString text;
    if (name == "connectivity")
        text = QObject::tr(
            "<b>What it shows.</b> The connectivity matrix W: W<sub>ij</sub> is the strength of the connection from "
            "neuron j (column, the sender) to neuron i (row, the receiver); red excites, blue inhibits. Left the true "
            "W that generated the activity, right the W the network learned; below, each learned weight against its "
            "true value, and the fit's R² over the iterations. "
            "<b>Recovered looks like:</b> the two maps alike, the scatter a thin diagonal (slope 1), R² rising to 1. "
            "<b>ψ*-corrected:</b> the network learns W only up to each sender's transfer scale, so column j is "
            "multiplied by the size of its learned ψ*<sub>j</sub> and divided by the known gain g = 10 to share the "
            "true W's scale. On a recording there is no true W: the learned W and how its weights spread.");
    else if (name == "functions")
        text = QObject::tr(
            "<b>What it shows.</b> The two functions the network learned. Left φ*(u, a), the <i>update function</i>: "
            "how a neuron's own activity u changes it (its leak and self-excitation), one curve per neuron through "
            "its latent a. Right ψ*(u), the <i>transfer function</i>: what a neuron sends to the others at activity "
            "u, divided by its normalisation (its size near the top of the activity range, the same one that "
            "corrects W). Thin lines: learned curves coloured by cluster; thick: the true function of each type. "
            "<b>Recovered looks like:</b> thin lines lying on the thick ones, one bundle per type. Below, the learned "
            "functions as formulas.");
    else if (name == "latents")
        text = QObject::tr(
            "<b>What it shows.</b> Each neuron i has a learned <i>latent</i> vector a<sub>i</sub> (two numbers here) "
            "that tells the shared functions which kind of neuron it is; neurons that behave alike end up close. "
            "Points are coloured by true type, or by the cluster found without it. "
            "<b>Recovered looks like:</b> one tight, separate cloud per type; accuracy 1.000 means every neuron is in "
            "the cluster of its own type (clusters matched to types at best). Click a point to select that neuron in "
            "every panel.");
    else if (name == "activity")
        text = QObject::tr(
            "<b>What it shows.</b> u<sub>i</sub>(t), each neuron's activity over time: the selected neuron (and those "
            "you list) as traces, all neurons as a heat map below (a row per neuron, colour = activity). After "
            "training, dashed: the trained model run on its own from frame 0 (a <i>roll-out</i>). "
            "<b>Recovered looks like:</b> dashed lines on the solid ones for hundreds of frames.");
    else if (name == "network")
        text = QObject::tr(
            "<b>What it shows.</b> The neurons in space and their strongest connections, true or learned (the list "
            "chooses). Click a neuron to see its inputs (green) and outputs (orange); playing the activity colours "
            "the neurons by it. A teaching view: how wiring shapes who drives whom.");
    else if (name == "training")
        text = QObject::tr(
            "<b>What it shows.</b> How training goes: the loss (how far the network's predicted du/dt is from the "
            "data's) and its regularisation terms over the iterations, and each parameter group's learning rate. "
            "<b>Converged looks like:</b> a low, flat prediction loss.");
    else if (name == "stimulus")
        text = QObject::tr(
            "<b>What it shows.</b> Some experiments drive neurons with an external input (a movie) the network is "
            "never shown; it learns it as a field Ω*(x, y, t). Left the true movie, right the learned field at the "
            "same frame, and their agreement over frames. Ω* and W are found only up to a product, so Ω* is scaled "
            "to match the movie at frame 0. <b>Recovered looks like:</b> the same picture on both sides.");
    else if (name == "lab")
        text = QObject::tr(
            "<b>What it shows.</b> A what-if test: change the true network (silence neurons, cut or scale "
            "connections, a new W or new type proportions, another input), make the same change to the trained "
            "model, and run both on their own. Solid: the true network; dashed: the model. "
            "<b>Learned the mechanism looks like:</b> dashed on solid even for a network the model never trained on "
            "(the paper's Supplementary Figs. 5–6).");
    return text.isEmpty() ? text : text + moreLink();
}

QString aboutTheMethod()
{
    return QObject::tr(
        "<h3>The method</h3>"
        "<p>A network of N rate neurons evolves as du<sub>i</sub>/dt = φ(u<sub>i</sub>) + Σ<sub>j</sub> "
        "W<sub>ij</sub> ψ(u<sub>j</sub>) (+ an external input): each neuron's own dynamics φ, and what it receives "
        "from the others through the connectivity W and the transfer function ψ. Neurons come in a few "
        "<i>types</i> that differ in φ and ψ.</p>"
        "<p>Plexus trains a graph neural network to predict du/dt from the activity alone. Its parts mirror the "
        "equation: a learned W, two small networks φ*(u, a) and ψ*(u) shared by all neurons, and a learned latent "
        "vector a<sub>i</sub> per neuron that tells φ* which type it is. Nothing about W, the types or the functions "
        "is given: if the prediction is good, they are <i>recovered</i> — and can be compared with the truth of a "
        "simulation.</p>"
        "<h3>The paper</h3>"
        "<p>C. Allier et al., <i>Graph neural networks uncover structure and functions underlying the activity of "
        "simulated neural assemblies</i> (2026). Fig. 2: 1000 neurons of 4 types — W, types and functions "
        "recovered; Fig. 3: a hidden visual stimulus learned as a field Ω*; the Supplementary Figures vary data "
        "size, sparsity, noise, network size (8000 neurons), 32 types, other transfer functions, and test the "
        "trained model on new networks (Supp. 5–6).</p>"
        "<h3>What Plexus adds</h3>"
        "<p>Neuron types found without the true types (the paper's clustering step used them); training you can "
        "watch, pause and step; the what-if lab; recordings without ground truth (import, scores that need none, "
        "stability across seeds or halves); the learned functions as formulas; reproduction of the paper's numbers "
        "(Run → Reproduce).</p>"
        "<h3>Read more</h3>"
        "<p>In the docs folder: <b>user-guide.md</b> (the Studio, and a 15-minute lesson: <b>teaching.md</b>), "
        "<b>method.md</b> (the equations, defaults and metrics), <b>reproduction.md</b>, <b>lab.md</b>, "
        "<b>recordings.md</b>, <b>equations.md</b>.</p>");
}

} // namespace plexus::ui
