// Measures the rendered report and writes its findings into a pre#layout-check element, one
// finding per line, for HtmlReportTest to read from chromium's --dump-dom. Run in both axis modes.
(function () {
  var out = [];
  var details = document.querySelectorAll('details');
  for (var d = 0; d < details.length; d++) {
    details[d].open = true; // other breaks' panels too
  }
  var vw = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > vw + 1) {
    out.push('OVERFLOW page is ' + document.documentElement.scrollWidth + 'px wide in a ' + vw
        + 'px window');
  }
  function inside(p, r) {
    return p.x > r.left - 1 && p.x < r.right + 1 && p.y > r.top - 1 && p.y < r.bottom + 1;
  }
  function check(mode) {
    var svgs = document.querySelectorAll('svg.lanes-svg');
    for (var s = 0; s < svgs.length; s++) {
      var svg = svgs[s];
      var box = svg.getBoundingClientRect();
      if (box.width === 0) {
        continue; // the other axis mode
      }
      out.push('PANEL ' + mode);
      var labels = [];
      var texts = svg.querySelectorAll('text.bar-label, text.break-label, text.tick, text.lane');
      for (var i = 0; i < texts.length; i++) {
        var r = texts[i].getBoundingClientRect();
        var name = texts[i].firstChild ? texts[i].firstChild.textContent : '';
        if (r.right > box.right + 0.5 || r.left < box.left - 0.5 || r.right > vw) {
          out.push('CLIPPED ' + mode + ' "' + name + '" ends at ' + Math.round(r.right)
              + ', picture ends at ' + Math.round(Math.min(box.right, vw)));
        }
        if (!texts[i].classList.contains('tick') && !texts[i].classList.contains('lane')) {
          labels.push({name: name, r: r});
        }
      }
      var paths = svg.querySelectorAll('path');
      for (var k = 0; k < paths.length; k++) {
        var title = paths[k].querySelector('title');
        var what;
        var len = paths[k].getTotalLength();
        if (title && title.textContent.indexOf('happens-before') === 0) {
          what = title.textContent;
          out.push('ARROW ' + mode + ' ' + Math.round(len) + ' ' + what);
        } else if (paths[k].getAttribute('stroke-dasharray') === '4 3') {
          title = null;
          what = 'the hand-off link ' + paths[k].getAttribute('d'); // between an op's parts
        } else {
          continue;
        }
        var m = paths[k].getScreenCTM();
        var seen = {}; // each label once per path
        for (var t = 0; t <= 80; t++) {
          var q = paths[k].getPointAtLength(len * t / 80);
          var p = new DOMPoint(q.x, q.y).matrixTransform(m);
          for (var j = 0; j < labels.length; j++) {
            if (!seen[j] && inside(p, labels[j].r)) {
              seen[j] = true;
              // Neither an arrow nor a hand-off link may pass through (behind) a label.
              out.push((title ? 'THROUGH ' : 'LINK-BEHIND ') + mode + ' "' + labels[j].name
                  + '" crossed by ' + what);
            }
          }
        }
      }
      // A break must sit between the ticks of the seqs around the ones it says were skipped.
      var ticks = [];
      var tickTexts = svg.querySelectorAll('text.tick');
      for (var u = 0; u < tickTexts.length; u++) {
        var tr = tickTexts[u].getBoundingClientRect();
        ticks.push({seq: Number(tickTexts[u].textContent), x: (tr.left + tr.right) / 2});
      }
      var breaks = svg.querySelectorAll('g.axis-break');
      for (var b = 0; b < breaks.length; b++) {
        var br = breaks[b].getBoundingClientRect();
        var said = breaks[b].querySelector('title').textContent;
        var range = /seq (\d+)(?:\.\.(\d+))?/.exec(said);
        var first = Number(range[1]);
        var last = range[2] ? Number(range[2]) : first;
        var bx = (br.left + br.right) / 2;
        var placed = true;
        for (var v = 0; v < ticks.length; v++) {
          if ((ticks[v].x < bx && ticks[v].seq >= first)
              || (ticks[v].x > bx && ticks[v].seq <= last)) {
            placed = false;
          }
        }
        out.push('AXIS-BREAK ' + mode + ' ' + (br.width > 0 && br.left >= box.left
            && br.right <= box.right ? (placed ? 'visible' : 'misplaced') : 'hidden') + ' '
            + said);
      }
    }
  }
  check('order');
  var time = document.getElementById('axis-time');
  if (time) {
    time.checked = true;
    check('time');
    document.getElementById('axis-order').checked = true;
  }
  var pre = document.createElement('pre');
  pre.id = 'layout-check';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
})();
