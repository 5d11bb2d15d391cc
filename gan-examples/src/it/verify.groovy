// After the cloned examples/quickstart (projectDir, set in gan-examples/pom.xml) ran its three programs with exactly
// the README's dependencies: Quickstart trained the shipped dense example as shipped (20 epochs of the embedded
// 10k subset) and sampled; CustomNetwork trained 200 steps of its own network type with DL4J listeners on both
// networks; OwnLoop trained two epochs; UsePretrained sampled, walked and exported a published generator. The run's log lines show (the programs run in a JVM of their own).
def log = new File(projectDir, 'build.log').text
assert log.contains('epoch 20: D ') : 'Quickstart did not train the 20 epochs of examples/mnist-dense.json'
assert log.contains('generated [16, 1, 28, 28]') : 'Quickstart did not sample 16 images'
assert log.contains('INFO dev.jgan.trainer.loop.AdversarialTrainer - epoch 1/20') : 'the run\'s log lines are hidden'
assert log.contains('trained 200 steps of my_mlp') : 'CustomNetwork did not train its generator'
assert log =~ /Score at iteration 150 is/ : 'the DL4J listeners set in onStart heard nothing'
assert log =~ /epoch 2: 156 steps, mean D loss/ : 'OwnLoop did not train two epochs of 156 steps'
assert new File(projectDir, 'own-loop.png').length() > 0 : 'OwnLoop wrote no grid'
assert log.contains('sampled 100 images, wrote sevens.png, walk.png, generator.onnx') : 'UsePretrained did not finish'
assert log =~ /frechet_distance=/ : 'UsePretrained printed no measured quality'
['sevens.png', 'walk.png', 'generator.onnx'].each { f ->
    assert new File(projectDir, f).length() > 0 : "UsePretrained wrote no ${f}"
}
assert new File(projectDir, 'quickstart.png').length() > 0 : 'Quickstart wrote no grid'
def runs = new File(projectDir, 'runs').listFiles()
assert runs != null && runs.size() == 2 : "expected two run directories under ${projectDir}/runs"
runs.each { run ->
    assert new File(run, 'samples/final.png').length() > 0 : "no sample grid in ${run}"
    assert new File(run, 'generator.zip').length() > 0 : "no generator in ${run}"
}
assert runs.any { new File(it, 'final-metrics.json').length() > 0 } : 'gan-metrics did not score the quickstart run'
true
