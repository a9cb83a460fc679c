import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n, currentLocale } from './i18n'
import { router } from './router'
import './styles/main.css'

document.documentElement.lang = currentLocale()

createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')
