/* global document, window, fetch */
// Progressive enhancement of the identity pages (registration, login, recovery, lookup). Without
// this file every form works by posting to its page: the captcha refresh and the SMS send are
// submit buttons the server answers with the form filled in again. With it:
// - the registration wizard shows one step at a time and checks a step's inputs before moving on;
// - the captcha refresh fetches a new image from the captcha API;
// - the SMS send posts to the SMS API, counts down, and fetches a fresh captcha (each is single use);
// - "confirm password" inputs say at once when they differ;
// - the QR login polls its ticket every 2 s and logs in once a signed-in device approved it.
// Every word shown comes from data-msg-* attributes the server filled from the message catalogue.
(function () {
  'use strict';

  var POLL_MS = 2000;

  function one(root, selector) {
    return root.querySelector(selector);
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function svgSource(svg) {
    return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  }

  function readJson(response) {
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (body) {
        return { ok: response.ok, status: response.status, body: body || {} };
      });
  }

  /** A new captcha into the form: image, hidden id, and an empty answer. */
  function refreshCaptcha(form) {
    var api = form.getAttribute('data-api');
    var image = one(form, '[data-captcha-image]');
    var id = one(form, '[data-captcha-id]');
    var answer = one(form, 'input[name="captcha"]');
    if (!api || !image || !id) return Promise.reject(new Error('no captcha here'));
    return fetch(api + '/captcha', { headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('captcha ' + response.status);
        return response.json();
      })
      .then(function (body) {
        image.src = svgSource(body.svg);
        id.value = body.captchaId;
        if (answer) {
          answer.value = '';
          answer.setCustomValidity('');
        }
      });
  }

  function captchaRefresher(form) {
    all(form, '[data-captcha-refresh]').forEach(function (button) {
      button.addEventListener('click', function (event) {
        event.preventDefault();
        refreshCaptcha(form)
          .then(function () {
            var answer = one(form, 'input[name="captcha"]');
            if (answer) answer.focus();
          })
          .catch(function () {
            // The API did not answer: the page itself draws a new one.
            form.noValidate = true;
            form.requestSubmit(button);
          });
      });
    });
  }

  function confirmChecks(form) {
    var message = form.getAttribute('data-msg-mismatch') || '';
    all(form, 'input[data-confirms]').forEach(function (confirm) {
      var original = document.getElementById(confirm.getAttribute('data-confirms'));
      if (!original || !message) return;
      function check() {
        confirm.setCustomValidity(confirm.value && confirm.value !== original.value ? message : '');
      }
      confirm.addEventListener('input', check);
      original.addEventListener('input', check);
    });
  }

  /** A long-term ID's validity end: its checkbox stands in for the date, which then is not asked. */
  function longTermBoxes(form) {
    all(form, 'input[data-long-term]').forEach(function (box) {
      var date = document.getElementById(box.getAttribute('data-long-term'));
      if (!date) return;
      function sync() {
        date.disabled = box.checked;
        if (box.checked) date.value = '';
        date.required = !box.checked && date.hasAttribute('data-required');
      }
      box.addEventListener('change', sync);
      sync();
    });
  }

  function controlsOf(root) {
    return all(root, 'input, select, textarea').filter(function (control) {
      return control.type !== 'hidden' && !control.disabled;
    });
  }

  function firstInvalid(root) {
    return controlsOf(root).find(function (control) {
      return !control.checkValidity();
    });
  }

  /** The registration wizard: one fieldset (step) at a time, the step list following along. */
  function wizard(form) {
    var steps = all(form, '[data-step]');
    if (steps.length < 2) return;
    var submitRow = one(form, '[data-wizard-submit]');
    var current = 0;
    var marked = one(form, '[aria-invalid="true"]');
    steps.forEach(function (step, index) {
      if (marked && step.contains(marked)) current = index;
    });
    // The script checks each step itself: the browser would refuse to submit over inputs it hides.
    form.noValidate = true;
    form.classList.add('enhanced');
    all(form, '[data-wizard-nav]').forEach(function (nav) {
      nav.hidden = false;
    });

    function show(index, focus) {
      current = index;
      steps.forEach(function (step, i) {
        step.hidden = i !== index;
      });
      if (submitRow) submitRow.hidden = index !== steps.length - 1;
      var id = steps[index].getAttribute('data-step');
      all(document, '[data-step-indicator]').forEach(function (item) {
        if (item.getAttribute('data-step-indicator') === id) item.setAttribute('aria-current', 'step');
        else item.removeAttribute('aria-current');
      });
      if (focus) {
        var first = controlsOf(steps[index])[0];
        if (first) first.focus();
        steps[index].scrollIntoView({ block: 'start' });
      }
    }

    function check(step) {
      var invalid = firstInvalid(step);
      if (invalid) invalid.reportValidity();
      return !invalid;
    }

    all(form, '[data-step-next]').forEach(function (button) {
      button.addEventListener('click', function () {
        if (check(steps[current])) show(Math.min(current + 1, steps.length - 1), true);
      });
    });
    all(form, '[data-step-prev]').forEach(function (button) {
      button.addEventListener('click', function () {
        show(Math.max(current - 1, 0), true);
      });
    });

    form.addEventListener('submit', function (event) {
      var action = event.submitter ? event.submitter.value : '';
      // A refresh or send that fell back to the server posts the form as it is.
      if (action === 'captcha' || action === 'send-code') return;
      if (current < steps.length - 1) {
        event.preventDefault();
        if (check(steps[current])) show(current + 1, true);
        return;
      }
      for (var i = 0; i < steps.length; i += 1) {
        var invalid = firstInvalid(steps[i]);
        if (invalid) {
          event.preventDefault();
          show(i, false);
          invalid.reportValidity();
          return;
        }
      }
    });

    show(current, false);
  }

  /** The SMS send through the SMS API, then a countdown and a fresh captcha. */
  function smsSender(form) {
    var button = one(form, '[data-sms-send]');
    if (!button) return;
    var api = form.getAttribute('data-api');
    var status = one(form, '[data-sms-status]');
    var label = button.textContent;
    var timer;

    function say(text, isError) {
      if (!status) return;
      status.textContent = text || '';
      status.classList.toggle('is-error', Boolean(isError));
    }

    function countdown(seconds) {
      var left = Math.max(1, Math.ceil(seconds));
      var template = form.getAttribute('data-msg-countdown') || '{seconds}';
      button.disabled = true;
      window.clearInterval(timer);
      button.textContent = template.replace('{seconds}', String(left));
      timer = window.setInterval(function () {
        left -= 1;
        if (left <= 0) {
          window.clearInterval(timer);
          button.disabled = false;
          button.textContent = label;
          return;
        }
        button.textContent = template.replace('{seconds}', String(left));
      }, 1000);
    }

    button.addEventListener('click', function (event) {
      event.preventDefault();
      var phone = document.getElementById(button.getAttribute('data-phone-input'));
      var answer = one(form, 'input[name="captcha"]');
      var captchaId = one(form, '[data-captcha-id]');
      if (!phone || !answer || !captchaId || !api) {
        form.noValidate = true;
        form.requestSubmit(button);
        return;
      }
      if (!phone.checkValidity()) {
        phone.reportValidity();
        return;
      }
      if (!answer.value.trim()) {
        answer.setCustomValidity(form.getAttribute('data-msg-captcha') || ' ');
        answer.reportValidity();
        answer.addEventListener(
          'input',
          function () {
            answer.setCustomValidity('');
          },
          { once: true },
        );
        return;
      }
      button.disabled = true;
      say('');
      fetch(api + '/sms-codes', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ phone: phone.value.trim(), purpose: button.getAttribute('data-purpose'), captchaId: captchaId.value, captcha: answer.value.trim() }),
      })
        .then(readJson)
        .then(function (result) {
          if (result.ok) {
            say(form.getAttribute('data-msg-sent'), false);
            countdown(result.body.resendAfterSeconds || 60);
            var code = one(form, 'input[name="smsCode"]');
            if (code) code.focus();
          } else {
            say(result.body.message || form.getAttribute('data-msg-failed'), true);
            if (result.body.retryAfterSeconds) countdown(result.body.retryAfterSeconds);
            else button.disabled = false;
          }
          // The captcha was spent either way.
          return refreshCaptcha(form);
        })
        .catch(function () {
          say(form.getAttribute('data-msg-failed'), true);
          button.disabled = false;
        });
    });
  }

  /** HN-1: poll the ticket; once approved, the page's QR form logs in. */
  function qrPoller() {
    var box = one(document, '[data-qr-poll]');
    if (!box) return;
    var url = box.getAttribute('data-url');
    var token = box.getAttribute('data-token');
    var deadline = Date.now() + (Number(box.getAttribute('data-expires')) || 120) * 1000;
    var form = one(box, '[data-qr-form]');
    var status = one(box, '[data-qr-status]');
    var expired = one(box, '[data-qr-expired]');

    function expire() {
      box.classList.add('expired');
      if (expired) expired.hidden = false;
      if (form) form.hidden = true;
    }

    function poll() {
      if (Date.now() > deadline) {
        expire();
        return;
      }
      fetch(url, { headers: { 'x-poll-token': token, accept: 'application/json' }, cache: 'no-store' })
        .then(readJson)
        .then(function (result) {
          var state = result.ok ? result.body.status : 'pending';
          if (state === 'approved' && form) {
            if (status) status.textContent = box.getAttribute('data-msg-approved') || '';
            form.submit();
            return;
          }
          if (state === 'expired') {
            expire();
            return;
          }
          window.setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          window.setTimeout(poll, POLL_MS);
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener('DOMContentLoaded', function () {
    all(document, 'form').forEach(function (form) {
      captchaRefresher(form);
      confirmChecks(form);
      longTermBoxes(form);
      if (form.hasAttribute('data-wizard')) wizard(form);
      smsSender(form);
    });
    qrPoller();
  });
})();
