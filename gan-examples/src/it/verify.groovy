// After the cloned examples/quickstart (projectDir, set in gan-examples/pom.xml) ran its three programs: each trained;
// the two GanRun runs wrote their sample grid and generator, the own loop its grid.
def log = new File(projectDir, 'build.log').text
assert log.contains('generated [16, 1, 28, 28]') : 'Quickstart did not sample 16 images'
assert log.contains('trained 4 steps of my_mlp') : 'CustomNetwork did not train its generator'
assert log =~ /epoch 2: 8 steps, mean D loss/ : 'OwnLoop did not train two epochs of 8 steps'
assert new File(projectDir, 'own-loop.png').length() > 0 : 'OwnLoop wrote no grid'
def runs = new File(projectDir, 'runs').listFiles()
assert runs != null && runs.size() == 2 : "expected two run directories under ${projectDir}/runs"
runs.each { run ->
    assert new File(run, 'samples/final.png').length() > 0 : "no sample grid in ${run}"
    assert new File(run, 'generator.zip').length() > 0 : "no generator in ${run}"
}
true
