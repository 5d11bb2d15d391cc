// After the cloned examples/quickstart (projectDir, set in gan-examples/pom.xml) ran both programs: each trained,
// and each run wrote its sample grid and generator.
def log = new File(projectDir, 'build.log').text
assert log.contains('generated [16, 1, 28, 28]') : 'Quickstart did not sample 16 images'
assert log.contains('trained 4 steps of my_mlp') : 'CustomNetwork did not train its generator'
def runs = new File(projectDir, 'runs').listFiles()
assert runs != null && runs.size() == 2 : "expected two run directories under ${projectDir}/runs"
runs.each { run ->
    assert new File(run, 'samples/final.png').length() > 0 : "no sample grid in ${run}"
    assert new File(run, 'generator.zip').length() > 0 : "no generator in ${run}"
}
true
