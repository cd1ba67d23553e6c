/**
 * The Prometheus text format as its specification writes it (prometheus.io "Exposition formats",
 * text format details): the specification's own example, escapes, blanks, comments, and lines a
 * reader must skip without losing the rest.
 */
import assert from 'node:assert/strict';
import { parseGoFloat, parsePrometheusText } from '../../core/cluster/prometheus-text';

// The example from the specification, as printed there.
const SPECIFICATION_EXAMPLE = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="0.5"} 129389
http_request_duration_seconds_bucket{le="1"} 133988
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP telemetry_requests_metrics_latency_microseconds A summary of the response latency.
# TYPE telemetry_requests_metrics_latency_microseconds summary
telemetry_requests_metrics_latency_microseconds{quantile="0.01"} 3102
telemetry_requests_metrics_latency_microseconds{quantile="0.05"} 3272
telemetry_requests_metrics_latency_microseconds{quantile="0.5"} 4773
telemetry_requests_metrics_latency_microseconds{quantile="0.9"} 9001
telemetry_requests_metrics_latency_microseconds{quantile="0.99"} 76656
telemetry_requests_metrics_latency_microseconds_sum 1.7560473e+07
telemetry_requests_metrics_latency_microseconds_count 2693
`;

describe('core/cluster Prometheus text format', () => {
  it('reads the specification\'s example: families, types, help, labels, values and timestamps', () => {
    const { families, errors } = parsePrometheusText(SPECIFICATION_EXAMPLE);
    assert.deepEqual(errors, []);
    assert.deepEqual([...families.keys()], ['http_requests_total', 'msdos_file_access_time_seconds', 'metric_without_timestamp_and_labels', 'something_weird', 'http_request_duration_seconds', 'telemetry_requests_metrics_latency_microseconds']);
    const requests = families.get('http_requests_total')!;
    assert.equal(requests.type, 'counter');
    assert.equal(requests.help, 'The total number of HTTP requests.');
    assert.deepEqual(requests.samples, [
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
    ]);
    // Escapes: \\ is one backslash, \" a quote, \n a line feed.
    assert.deepEqual(families.get('msdos_file_access_time_seconds')!.samples[0], {
      name: 'msdos_file_access_time_seconds',
      labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
      value: 1_458_255_915,
    });
    assert.equal(families.get('msdos_file_access_time_seconds')!.type, 'untyped');
    assert.deepEqual(families.get('metric_without_timestamp_and_labels')!.samples, [{ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 }]);
    assert.deepEqual(families.get('something_weird')!.samples, [{ name: 'something_weird', labels: { problem: 'division by zero' }, value: Number.POSITIVE_INFINITY, timestampMs: -3982045 }]);
  });

  it('gathers a histogram\'s _bucket, _sum and _count samples, and a summary\'s, under their family', () => {
    const { families } = parsePrometheusText(SPECIFICATION_EXAMPLE);
    const histogram = families.get('http_request_duration_seconds')!;
    assert.equal(histogram.type, 'histogram');
    assert.equal(histogram.samples.length, 8);
    assert.deepEqual(histogram.samples.slice(5).map((sample) => [sample.name, sample.labels.le, sample.value]), [
      ['http_request_duration_seconds_bucket', '+Inf', 144320],
      ['http_request_duration_seconds_sum', undefined, 53423],
      ['http_request_duration_seconds_count', undefined, 144320],
    ]);
    const summary = families.get('telemetry_requests_metrics_latency_microseconds')!;
    assert.equal(summary.type, 'summary');
    assert.deepEqual(summary.samples.map((sample) => sample.labels.quantile ?? sample.name), ['0.01', '0.05', '0.5', '0.9', '0.99', 'telemetry_requests_metrics_latency_microseconds_sum', 'telemetry_requests_metrics_latency_microseconds_count']);
    assert.equal(summary.samples[5].value, 17_560_473);
  });

  it('takes blanks and tabs between tokens, a trailing comma, blanks around "=", CRLF, and help escapes', () => {
    const text = [
      '  # HELP kubelet_x [ALPHA] A path C:\\\\tmp\\nsecond line, and a lone \\d',
      '# TYPE kubelet_x gauge',
      'kubelet_x { a = "1" ,\tb="two words", }\t 0.5   ',
      'kubelet_x{a="2"}7\r',
      '#  a comment that is neither HELP nor TYPE',
      '',
    ].join('\n');
    const { families, errors } = parsePrometheusText(text);
    assert.deepEqual(errors, []);
    const family = families.get('kubelet_x')!;
    assert.equal(family.help, '[ALPHA] A path C:\\tmp\nsecond line, and a lone \\d');
    assert.deepEqual(family.samples, [
      { name: 'kubelet_x', labels: { a: '1', b: 'two words' }, value: 0.5 },
      { name: 'kubelet_x', labels: { a: '2' }, value: 7 },
    ]);
  });

  it('skips malformed lines with their line numbers and keeps the others', () => {
    const text = [
      '# TYPE good counter',
      'good 1',
      'bad{a="unclosed} 1', // line 3
      'bad{a="x" b="y"} 1', // line 4: no comma
      'bad{a="\\t"} 1', // line 5: \t is not an escape
      'bad{a="1",a="2"} 1', // line 6
      'bad 1 2 3', // line 7
      'bad one', // line 8
      'bad 1 1.5', // line 9: timestamps are integers
      '# TYPE good gauge', // line 10: after its samples
      '# TYPE other histogramm', // line 11
      '{a="b"} 1', // line 12
      'good 2',
    ].join('\n');
    const { families, errors } = parsePrometheusText(text);
    assert.deepEqual(errors.map((error) => error.line), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.match(errors[2].message, /invalid escape "\\t"/);
    assert.deepEqual(families.get('good')!.samples.map((sample) => sample.value), [1, 2]);
    assert.equal(families.get('good')!.type, 'counter');
    assert.equal(families.has('bad'), false);
  });

  it('keeps a sample whose name only looks like a histogram part as its own family', () => {
    const { families } = parsePrometheusText('# TYPE jobs counter\njobs_count 4\n# TYPE lat summary\nlat_bucket{le="1"} 2\n');
    // jobs is a counter, so jobs_count is not its part; a summary has no buckets.
    assert.deepEqual([...families.keys()], ['jobs', 'jobs_count', 'lat', 'lat_bucket']);
    assert.equal(families.get('jobs_count')!.type, 'untyped');
  });

  it('reads numbers as Go\'s ParseFloat does', () => {
    assert.deepEqual(['1', '-0.5', '1.5e+09', '.5', '5.', '+Inf', '-Inf', 'inf', '1e-3'].map(parseGoFloat), [1, -0.5, 1.5e9, 0.5, 5, Infinity, -Infinity, Infinity, 0.001]);
    assert.ok(Number.isNaN(parseGoFloat('NaN')));
    assert.deepEqual(['', 'one', '1,5', '0x10', '--1'].map(parseGoFloat), [undefined, undefined, undefined, undefined, undefined]);
  });
});
