/**
 * The partial Plotly bundle: core (which brings scatter) plus bar and heatmap, built from
 * plotly.js source so nothing else (3D, maps, finance) is shipped. Only plotly.ts imports
 * this, dynamically.
 */
import { returnGlobal } from './global-shim.ts';
import Plotly from 'plotly.js/lib/core';
import bar from 'plotly.js/lib/bar';
import heatmap from 'plotly.js/lib/heatmap';

Plotly.register([bar, heatmap]);
returnGlobal();

export default Plotly;
